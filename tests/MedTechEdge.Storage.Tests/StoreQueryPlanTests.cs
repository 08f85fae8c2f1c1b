using System.Text;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>
/// What the store's frequent reads cost on a backlog, told by SQLite's own plans: the backlog gauges (every scrape, the
/// dashboard every 2 s) count the outbox on an index rather than reading every resource, and the readiness check
/// (every probe, from the first milliseconds of a start) reads no table through.
/// </summary>
public sealed class StoreQueryPlanTests
{
    private static readonly DateTime s_now = new(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_Gauges_Count_The_Outbox_On_Its_Source_Index_And_Readiness_Scans_Nothing()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();

        // The count's step; the oldest row's ("SCAN outbox", in id order) stops at the first row.
        Assert.Contains("SCAN outbox USING COVERING INDEX outbox_source", Plan(connection, StoreGauges.Query));
        Assert.All(Plan(connection, StoreHealth.Query), step => Assert.False(step.StartsWith("SCAN ", StringComparison.Ordinal) && step != "SCAN CONSTANT ROW", step));
        StoreHealth.Check(connection);
    }

    [Fact]
    public void A_Version_7_Store_Gets_The_Whole_Source_Index_And_Counts_Rows_With_And_Without_A_Source()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using (SqliteConnection connection = temp.Store.OpenConnection())
        {
            // Version 7's index: only the rows with a source, so SQLite cannot count the table on it.
            using SqliteCommand downgrade = connection.CreateCommand();
            downgrade.CommandText = "DROP INDEX outbox_source; CREATE INDEX outbox_source ON outbox (source_id) WHERE source_id IS NOT NULL; PRAGMA user_version=7;";
            downgrade.ExecuteNonQuery();
            Assert.DoesNotContain("SCAN outbox USING COVERING INDEX outbox_source", Plan(connection, StoreGauges.Query));
            OutboxSchemaTests.Insert(connection, Record("with-source", TempStore.Message("""{"heartRate":60}""")), Record("identity", null));
        }

        MedTechStore reopened = temp.Reopen();
        using SqliteConnection migrated = reopened.OpenConnection();
        using (SqliteCommand version = migrated.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            Assert.Equal(8L, (long)version.ExecuteScalar()!);
        }

        Assert.Contains("SCAN outbox USING COVERING INDEX outbox_source", Plan(migrated, StoreGauges.Query));
        Assert.Equal(2, StoreGauges.Read(migrated).Outbox);
        var read = new List<OutboxRecord>();
        OutboxTable.ReadOldest(migrated, 10, read);
        using (SqliteTransaction transaction = migrated.BeginTransaction())
        {
            using (var delete = new OutboxDelete(migrated, transaction))
            {
                delete.Delete(read[0]);
            }
            transaction.Commit();
        }

        // The source message left with its last row, found through the same index.
        Assert.Equal(0, OutboxTable.SourceCount(migrated));
        Assert.Equal(1, StoreGauges.Read(migrated).Outbox);
    }

    private static List<string> Plan(SqliteConnection connection, string query)
    {
        using SqliteCommand explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + query;
        using SqliteDataReader reader = explain.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }

    private static OutboxRecord Record(string id, InboxMessage? source) => new()
    {
        CreatedUtc = s_now,
        DeviceId = "dev-1",
        Kind = source is null ? OutboxKind.Identity : OutboxKind.Resource,
        ResourceType = source is null ? "Patient" : "Observation",
        ResourceId = id,
        Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"Observation","id":"{{id}}"}"""),
        Source = source,
    };
}
