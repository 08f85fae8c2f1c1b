using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class SchemaMigrationTests
{
    [Fact]
    public void A_Version_1_Store_Is_Migrated_And_Keeps_Its_Data()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-migrate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "store.db");
        using (var old = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            // The version 1 layout of dead_letter: no received_utc.
            create.CommandText = """
                CREATE TABLE inbox (id INTEGER PRIMARY KEY, received_utc INTEGER NOT NULL, source TEXT NOT NULL, device_id TEXT, topic TEXT, properties TEXT NOT NULL, system_properties TEXT NOT NULL, body BLOB NOT NULL);
                CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_utc INTEGER NOT NULL, device_id TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, body BLOB NOT NULL);
                CREATE TABLE dead_letter (id INTEGER PRIMARY KEY, created_utc INTEGER NOT NULL, stage TEXT NOT NULL, error_kind TEXT NOT NULL, error TEXT NOT NULL, source TEXT NOT NULL, device_id TEXT, topic TEXT, properties TEXT NOT NULL, system_properties TEXT NOT NULL, body BLOB NOT NULL);
                INSERT INTO dead_letter VALUES (1, 0, 'map', 'NormalizationError', 'E', 'mqtt', 'd', 't', '{}', '{}', x'7b7d');
                PRAGMA user_version=1;
                """;
            create.ExecuteNonQuery();
        }

        try
        {
            MedTechStore store = MedTechStore.Open(new StoreOptions { Path = path });
            using SqliteConnection connection = store.OpenConnection();
            var letters = new List<DeadLetter>();
            DeadLetterTable.List(connection, 10, letters);
            Assert.Equal(DeadLetterKind.NormalizationError, Assert.Single(letters).Kind);
            Assert.True(DeadLetterTable.Requeue(connection, 1, DateTime.UtcNow));
            Assert.Equal(1, InboxTable.Count(connection));
            using SqliteCommand version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version;";
            Assert.Equal((long)StoreSchema.Version, (long)version.ExecuteScalar()!);
            // 2 → 3 added the identity cache, empty.
            Assert.Equal(0, IdentityCacheTable.Count(connection));
            // 3 → 4: a row from before the correlation id reads with a fresh one.
            var inbox = new List<InboxMessage>();
            InboxTable.ReadOldest(connection, 10, inbox);
            Assert.Matches("^[0-9a-f]{16}$", Assert.Single(inbox).CorrelationId);

            // 4 → 5: the migrated letter's id is not given out again once the table is empty (a requeue took it).
            Assert.Equal(2, NewDeadLetterId(connection));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Dead_Letter_Ids_Are_Not_Reused_After_The_Newest_Are_Requeued()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-ids-" + Guid.NewGuid().ToString("N"));
        try
        {
            MedTechStore store = MedTechStore.Open(new StoreOptions { Path = Path.Combine(folder, "store.db") });
            using SqliteConnection connection = store.OpenConnection();
            long first = NewDeadLetterId(connection);
            long second = NewDeadLetterId(connection);
            Assert.True(DeadLetterTable.Requeue(connection, second, DateTime.UtcNow));
            Assert.True(DeadLetterTable.Requeue(connection, first, DateTime.UtcNow));

            // Without AUTOINCREMENT SQLite would hand out the freed ids again, and "every dead letter after id N"
            // (the dead-letter output's cursor) would miss the new ones.
            Assert.Equal(second + 1, NewDeadLetterId(connection));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long NewDeadLetterId(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        DeadLetterTable.Insert(connection, transaction, new DeadLetter
        {
            CreatedUtc = DateTime.UtcNow,
            Stage = PipelineStage.Map,
            Kind = DeadLetterKind.NormalizationError,
            Error = "E",
            Message = new InboxMessage { Source = "mqtt", DeviceId = "d", Topic = "t", Body = "{}"u8.ToArray(), ReceivedUtc = DateTime.UtcNow },
        });
        transaction.Commit();
        return DeadLetterTable.MaxId(connection);
    }
}
