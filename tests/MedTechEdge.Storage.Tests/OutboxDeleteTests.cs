using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class OutboxDeleteTests
{
    [Fact]
    public void One_Delete_Removes_Many_Rows_And_Each_Source_Message_With_The_Last_Row_That_References_It()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        InboxMessage first = TempStore.Message("""{"hr":70}""", "dev-a");
        InboxMessage second = TempStore.Message("""{"hr":71}""", "dev-b");
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using var insert = new OutboxInsert(connection, transaction);
            // Two rows of the first message (one source row), one of the second.
            insert.Insert(Record("obs-a1", first));
            insert.Insert(Record("obs-a2", first));
            insert.Insert(Record("obs-b1", second));
            transaction.Commit();
        }

        Assert.Equal(2, Count(connection, "source_message"));
        var records = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, records);

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using var delete = new OutboxDelete(connection, transaction);
            // The statements are bound again for each row: the first message's source stays while obs-a2 needs it.
            delete.Delete(records[0]);
            delete.Delete(records[2]);
            transaction.Commit();
        }

        records.Clear();
        OutboxTable.ReadOldest(connection, 10, records);
        OutboxRecord left = Assert.Single(records);
        Assert.Equal("obs-a2", left.ResourceId);
        Assert.Equal("""{"hr":70}""", System.Text.Encoding.UTF8.GetString(left.Source!.Body));
        Assert.Equal(1, Count(connection, "source_message"));

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using var delete = new OutboxDelete(connection, transaction);
            delete.Delete(left);
            transaction.Commit();
        }

        Assert.Equal(0, Count(connection, "outbox"));
        Assert.Equal(0, Count(connection, "source_message"));
    }

    private static OutboxRecord Record(string id, InboxMessage source) => new()
    {
        CreatedUtc = DateTime.UtcNow,
        DeviceId = source.DeviceId!,
        ResourceType = "Observation",
        ResourceId = id,
        Body = [(byte)'{', (byte)'}'],
        Source = source,
    };

    private static long Count(SqliteConnection connection, string table)
    {
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)count.ExecuteScalar()!;
    }
}
