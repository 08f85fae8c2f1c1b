using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class OutboxAndDeadLetterTests
{
    [Fact]
    public void Outbox_Records_Come_Back_In_Production_Order_And_Delete_One_By_One()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using var insert = new OutboxInsert(connection, transaction);
            for (int i = 0; i < 3; i++)
            {
                insert.Insert(new OutboxRecord
                {
                    CreatedUtc = DateTime.UtcNow,
                    DeviceId = "dev-" + i,
                    ResourceType = "Observation",
                    ResourceId = "obs-" + i,
                    Body = [(byte)'{', (byte)'}'],
                });
            }

            transaction.Commit();
        }

        var records = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, records);
        Assert.Equal(["obs-0", "obs-1", "obs-2"], records.ConvertAll(r => r.ResourceId));
        Assert.Equal("dev-1", records[1].DeviceId);

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using (var delete = new OutboxDelete(connection, transaction))
            {
                delete.Delete(records[1]);
            }
            transaction.Commit();
        }

        records.Clear();
        OutboxTable.ReadOldest(connection, 10, records);
        Assert.Equal(["obs-0", "obs-2"], records.ConvertAll(r => r.ResourceId));
    }

    [Fact]
    public void Dead_Letters_Keep_The_Original_Message_And_The_Reason()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        InboxMessage original = TempStore.Message("not json");
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            DeadLetterTable.Insert(connection, transaction, new DeadLetter
            {
                CreatedUtc = DateTime.UtcNow,
                Stage = PipelineStage.Map,
                Kind = DeadLetterKind.InvalidDeviceMessage,
                Error = "Invalid event message.",
                Message = original,
            });
            transaction.Commit();
        }

        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        DeadLetter letter = Assert.Single(letters);
        Assert.Equal(PipelineStage.Map, letter.Stage);
        Assert.Equal("InvalidDeviceMessage", letter.KindName);
        Assert.Equal("not json", System.Text.Encoding.UTF8.GetString(letter.Message.Body));
        Assert.Equal(original.Topic, letter.Message.Topic);
        Assert.Equal(original.PropertiesJson, letter.Message.PropertiesJson);
        Assert.Equal(1, DeadLetterTable.Count(connection));
    }

    [Fact]
    public void Opening_Uses_Write_Ahead_Logging()
    {
        using var temp = new TempStore();
        using SqliteConnection connection = temp.Store.OpenConnection();
        using SqliteCommand mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
        mode.CommandText = "PRAGMA synchronous;";
        Assert.Equal(2L, (long)mode.ExecuteScalar()!); // 2 = FULL
    }
}
