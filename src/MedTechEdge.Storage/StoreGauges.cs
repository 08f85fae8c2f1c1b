using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>The store's backlog at one instant, for the metrics endpoint.</summary>
/// <param name="Inbox">Device messages acknowledged and not yet mapped.</param>
/// <param name="Outbox">Resources mapped and not yet delivered.</param>
/// <param name="OpenWindows">SampledData windows collecting data.</param>
/// <param name="DeadLetters">Dead letters waiting for an operator.</param>
/// <param name="OldestInboxUtc">When the oldest inbox row was received; null when the inbox is empty.</param>
/// <param name="OldestOutboxUtc">When the oldest outbox row was mapped; null when the outbox is empty.</param>
public readonly record struct StoreBacklog(long Inbox, long Outbox, long OpenWindows, long DeadLetters, DateTime? OldestInboxUtc, DateTime? OldestOutboxUtc);

/// <summary>Reads the backlog of every table in one statement, on a connection the caller keeps for its scrapes.</summary>
public static class StoreGauges
{
    // COUNT(*) walks each table's smallest b-tree that holds every row: the outbox's source index (a few bytes a row,
    // StoreSchema), the inbox's own rows (small device messages: about 10 ms for 100,000). The oldest rows are the
    // lowest ids (ids only grow while rows remain, InboxTable.ReadOldest), so those two are index seeks.
    internal const string Query = """
        SELECT (SELECT COUNT(*) FROM inbox),
               (SELECT COUNT(*) FROM outbox),
               (SELECT COUNT(*) FROM open_window),
               (SELECT COUNT(*) FROM dead_letter),
               (SELECT received_utc FROM inbox ORDER BY id LIMIT 1),
               (SELECT created_utc FROM outbox ORDER BY id LIMIT 1);
        """;

    /// <summary>Reads the backlog; a read transaction of its own, so the figures agree with each other.</summary>
    public static StoreBacklog Read(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Query;
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
        return new StoreBacklog(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : new DateTime(reader.GetInt64(4), DateTimeKind.Utc),
            reader.IsDBNull(5) ? null : new DateTime(reader.GetInt64(5), DateTimeKind.Utc));
    }
}
