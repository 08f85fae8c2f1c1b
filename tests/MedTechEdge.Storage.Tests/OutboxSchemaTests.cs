using System.Text;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class OutboxSchemaTests
{
    private static readonly DateTime s_now = new(2026, 12, 6, 20, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Ids_Are_Not_Reused_After_The_Newest_Rows_Are_Delivered()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        Insert(connection, Record("o-1"), Record("o-2"), Record("o-3"));
        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, read);
        Delete(connection, read[2], read[1]);

        Insert(connection, Record("o-4"));

        // Persist reads after the last id it dispatched (o-3's): a reused id would put o-4 below it, read late.
        var after = new List<OutboxRecord>();
        OutboxTable.ReadAfter(connection, read[2].Id, 10, after);
        Assert.Equal("o-4", Assert.Single(after).ResourceId);
    }

    [Fact]
    public void A_Message_With_Several_Resources_Is_Stored_Once_And_Leaves_With_Its_Last_Resource()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        InboxMessage message = TempStore.Message("""{"heartRate":60}""");
        Insert(connection, Record("o-1", message), Record("o-2", message), Record("o-3", message), Record("window"));
        Assert.Equal(1, OutboxTable.SourceCount(connection));

        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, read);
        Assert.Equal(message.CorrelationId, read[0].Source!.CorrelationId);
        Assert.Same(read[0].Source, read[2].Source);
        Assert.Null(read[3].Source);

        Delete(connection, read[0], read[1]);
        Assert.Equal(1, OutboxTable.SourceCount(connection));
        Delete(connection, read[2]);
        Assert.Equal(0, OutboxTable.SourceCount(connection));
    }

    [Fact]
    public void Rows_Returned_To_The_Inbox_Put_Their_Message_Back_Once()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        InboxMessage message = TempStore.Message("""{"heartRate":60}""");
        Insert(connection, Record("o-1", message), Record("o-2", message));
        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, read);

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            OutboxTable.ReturnToInbox(connection, transaction, read);
            transaction.Commit();
        }

        Assert.Equal((0L, 0L, 1L), (OutboxTable.Count(connection), OutboxTable.SourceCount(connection), InboxTable.Count(connection)));
        var inbox = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, inbox);
        Assert.Equal(message.CorrelationId, Assert.Single(inbox).CorrelationId);
    }

    [Fact]
    public void Typed_Columns_Round_Trip()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        Insert(connection, new OutboxRecord
        {
            CreatedUtc = s_now,
            DeviceId = "dev-1",
            Kind = OutboxKind.Identity,
            ResourceType = "Patient",
            ResourceId = "p",
            Body = "{}"u8.ToArray(),
            PatientId = "pat-1",
            EncounterId = "enc-1",
            DeviceTimeUtc = s_now.AddMinutes(-1),
        });

        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, read);
        OutboxRecord record = Assert.Single(read);
        Assert.Equal((OutboxKind.Identity, "pat-1", "enc-1", s_now.AddMinutes(-1)), (record.Kind, record.PatientId, record.EncounterId, record.DeviceTimeUtc));
    }

    [Fact]
    public void A_Refused_Window_Requeued_From_Dead_Letters_Is_A_Window_Again()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        OutboxRecord window = Record("window");
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            DeadLetterTable.Insert(connection, transaction, new DeadLetter
            {
                CreatedUtc = s_now,
                Stage = PipelineStage.Persist,
                Kind = DeadLetterKind.FhirRejected,
                Error = "E",
                Message = OutboxResourceLetter.ToMessage(window),
            });
            transaction.Commit();
        }

        Assert.True(DeadLetterTable.Requeue(connection, DeadLetterTable.MaxId(connection), s_now));

        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, read);
        OutboxRecord back = Assert.Single(read);
        Assert.Equal((OutboxKind.SampledDataWindow, "window", "pat-1", s_now), (back.Kind, back.ResourceId, back.PatientId, back.DeviceTimeUtc));
    }

    [Fact]
    public void A_Version_5_Outbox_Is_Rebuilt_With_Its_Ids_Typed_Columns_And_Each_Source_Once()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-migrate6-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "store.db");
        InboxMessage message = TempStore.Message("""{"heartRate":60}""");
        byte[] packed = SourceMessageCodec.Encode(message);
        using (var old = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            // The version 5 layout of inbox and outbox: outbox ids without AUTOINCREMENT, the source copied per row.
            create.CommandText = """
                CREATE TABLE inbox (id INTEGER PRIMARY KEY, received_utc INTEGER NOT NULL, source TEXT NOT NULL, device_id TEXT, topic TEXT, properties TEXT NOT NULL, system_properties TEXT NOT NULL, body BLOB NOT NULL, correlation_id TEXT);
                CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_utc INTEGER NOT NULL, device_id TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, body BLOB NOT NULL, source BLOB);
                CREATE TABLE dead_letter (id INTEGER PRIMARY KEY AUTOINCREMENT, created_utc INTEGER NOT NULL, stage TEXT NOT NULL, error_kind TEXT NOT NULL, error TEXT NOT NULL, source TEXT NOT NULL, device_id TEXT, topic TEXT, properties TEXT NOT NULL, system_properties TEXT NOT NULL, body BLOB NOT NULL, received_utc INTEGER NOT NULL DEFAULT 0, correlation_id TEXT);
                CREATE TABLE open_window (resource_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, body BLOB NOT NULL, closes_utc INTEGER NOT NULL, updated_utc INTEGER NOT NULL, dirty_since_utc INTEGER NOT NULL, flushed INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE identity (device_id TEXT NOT NULL, patient_key TEXT NOT NULL, encounter_key TEXT NOT NULL, patient_ref TEXT NOT NULL, device_ref TEXT NOT NULL, encounter_ref TEXT, resolved_utc INTEGER NOT NULL, PRIMARY KEY (device_id, patient_key, encounter_key)) WITHOUT ROWID;
                PRAGMA user_version=5;
                """;
            create.ExecuteNonQuery();
            create.CommandText = "INSERT INTO outbox VALUES ($id, 0, 'dev-1', $type, $rid, $body, $source);";
            create.Parameters.Add("$id", SqliteType.Integer);
            create.Parameters.Add("$type", SqliteType.Text);
            create.Parameters.Add("$rid", SqliteType.Text);
            create.Parameters.Add("$body", SqliteType.Blob);
            create.Parameters.Add("$source", SqliteType.Blob);
            (long Id, string Type, string Body, bool Source)[] rows =
            [
                (3, "Patient", """{"resourceType":"Patient","id":"p","identifier":[{"value":"pat-1"}]}""", false),
                (7, "Observation", """{"resourceType":"Observation","id":"o1","effectiveDateTime":"2026-11-21T12:00:00Z"}""", true),
                (8, "Observation", """{"resourceType":"Observation","id":"o2","effectivePeriod":{"start":"2026-11-21T11:00:00Z","end":"2026-11-21T12:30:00.5Z"}}""", true),
                (9, "Observation", """{"resourceType":"Observation","id":"w","valueSampledData":{"data":"1 2"}}""", false),
                (12, "Measurement", """{"type":"hr","occurrenceTimeUtc":"2026-11-21T12:00:00Z","deviceId":"dev-1","patientId":"pat-1","encounterId":"enc-1"}""", true),
                (13, "DeviceMessage", "not json", true),
            ];
            foreach ((long id, string type, string body, bool source) in rows)
            {
                create.Parameters["$id"].Value = id;
                create.Parameters["$type"].Value = type;
                create.Parameters["$rid"].Value = "r" + id;
                create.Parameters["$body"].Value = Encoding.UTF8.GetBytes(body);
                create.Parameters["$source"].Value = source ? packed : DBNull.Value;
                create.ExecuteNonQuery();
            }
        }

        try
        {
            MedTechStore store = MedTechStore.Open(new StoreOptions { Path = path });
            using SqliteConnection connection = store.OpenConnection();
            var read = new List<OutboxRecord>();
            OutboxTable.ReadOldest(connection, 10, read);
            Assert.Equal([3L, 7, 8, 9, 12, 13], read.ConvertAll(r => r.Id));
            Assert.Equal(
                [OutboxKind.Identity, OutboxKind.Resource, OutboxKind.Resource, OutboxKind.SampledDataWindow, OutboxKind.Measurement, OutboxKind.DeviceMessage],
                read.ConvertAll(r => r.Kind));
            Assert.Equal("pat-1", read[0].PatientId);
            Assert.Equal(("pat-1", "enc-1"), (read[4].PatientId, read[4].EncounterId));
            Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc), read[1].DeviceTimeUtc);
            // Milliseconds are kept.
            Assert.Equal(new DateTime(2026, 11, 21, 12, 30, 0, 500, DateTimeKind.Utc), read[2].DeviceTimeUtc);
            Assert.Null(read[0].DeviceTimeUtc);
            Assert.Null(read[5].DeviceTimeUtc);
            Assert.Equal(1, OutboxTable.SourceCount(connection));
            Assert.Equal(message.CorrelationId, read[1].Source!.CorrelationId);

            // AUTOINCREMENT continues above the migrated ids, even once the highest rows are gone.
            Delete(connection, read[5], read[4]);
            Insert(connection, Record("new"));
            read.Clear();
            OutboxTable.ReadAfter(connection, 13, 10, read);
            Assert.Equal("new", Assert.Single(read).ResourceId);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static OutboxRecord Record(string id, InboxMessage? source = null) => new()
    {
        CreatedUtc = s_now,
        DeviceId = "dev-1",
        Kind = source is null ? OutboxKind.SampledDataWindow : OutboxKind.Resource,
        ResourceType = "Observation",
        ResourceId = id,
        Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"Observation","id":"{{id}}"}"""),
        Source = source,
        PatientId = "pat-1",
        DeviceTimeUtc = s_now,
    };

    internal static void Insert(SqliteConnection connection, params OutboxRecord[] records)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (var insert = new OutboxInsert(connection, transaction))
        {
            foreach (OutboxRecord record in records)
            {
                insert.Insert(record);
            }
        }

        transaction.Commit();
    }

    private static void Delete(SqliteConnection connection, params OutboxRecord[] records)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (OutboxRecord record in records)
        {
            using (var delete = new OutboxDelete(connection, transaction))
            {
                delete.Delete(record);
            }
        }

        transaction.Commit();
    }
}
