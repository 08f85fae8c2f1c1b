using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>Schema 7: the Event Hubs ingress's partition tables, added to a version 6 store without touching its data.</summary>
public sealed class PartitionTablesMigrationTests
{
    [Fact]
    public async Task A_Version_6_Store_Gets_The_Partition_Tables_And_Keeps_Its_Data()
    {
        using var temp = new TempStore();
        await using (var writer = new InboxWriter(temp.Store, new WorkSignal()))
        {
            await writer.AppendAsync(TempStore.Message("""{"heartRate":70}"""));
        }

        // Back to version 6 as it was: the same tables without the two that version 7 adds.
        using (SqliteConnection connection = temp.Store.OpenConnection())
        using (SqliteCommand downgrade = connection.CreateCommand())
        {
            downgrade.CommandText = "DROP TABLE partition_ownership; DROP TABLE partition_checkpoint; PRAGMA user_version=6;";
            downgrade.ExecuteNonQuery();
        }

        MedTechStore reopened = temp.Reopen();
        using SqliteConnection migrated = reopened.OpenConnection();
        using (SqliteCommand version = migrated.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            Assert.Equal((long)StoreSchema.Version, (long)version.ExecuteScalar()!);
        }

        var inbox = new List<InboxMessage>();
        InboxTable.ReadOldest(migrated, 10, inbox);
        Assert.Equal("""{"heartRate":70}""", System.Text.Encoding.UTF8.GetString(Assert.Single(inbox).Body));

        var scope = new ConsumerGroupScope("ns.servicebus.windows.net", "vitals", "$Default");
        DateTime now = new(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);
        using (SqliteTransaction transaction = migrated.BeginTransaction())
        {
            Assert.NotNull(PartitionOwnershipTable.TryClaim(migrated, transaction, scope, "0", "a", null, now));
            PartitionCheckpointTable.Upsert(migrated, transaction, scope, new PartitionCheckpoint("0", "120", 3, "a", now));
            transaction.Commit();
        }

        Assert.Equal(3, PartitionCheckpointTable.Find(migrated, scope, "0")!.SequenceNumber);
        var owners = new List<PartitionOwnership>();
        PartitionOwnershipTable.List(migrated, scope, owners);
        Assert.Equal("a", Assert.Single(owners).OwnerId);

        // Opening a version 7 store again changes nothing.
        MedTechStore.Open(temp.Options);
        Assert.Equal(3, PartitionCheckpointTable.Find(migrated, scope, "0")!.SequenceNumber);
    }
}
