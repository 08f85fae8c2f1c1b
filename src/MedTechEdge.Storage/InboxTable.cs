using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>Statements on the <c>inbox</c> table. Owner: Ingest. Drained by Map.</summary>
public static class InboxTable
{
    /// <summary>Reads the oldest messages, up to <paramref name="limit"/>, in arrival order.</summary>
    public static void ReadOldest(SqliteConnection connection, int limit, List<InboxMessage> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, received_utc, source, device_id, topic, properties, system_properties, body, correlation_id, device_binding
            FROM inbox ORDER BY id LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            output.Add(new InboxMessage
            {
                Id = reader.GetInt64(0),
                ReceivedUtc = new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                Source = reader.GetString(2),
                DeviceId = reader.IsDBNull(3) ? null : reader.GetString(3),
                Topic = reader.IsDBNull(4) ? null : reader.GetString(4),
                // UTF-8 as stored (a BLOB; rows written before were TEXT, which reads the same way).
                Properties = reader.GetFieldValue<byte[]>(5),
                SystemProperties = reader.GetFieldValue<byte[]>(6),
                Body = (byte[])reader.GetValue(7),
                CorrelationId = reader.IsDBNull(8) ? InboxMessage.NewCorrelationId() : reader.GetString(8),
                Binding = reader.IsDBNull(9) ? null : DeviceBinding.Decode(reader.GetString(9)),
            });
        }
    }

    /// <summary>The query of <see cref="OldestReceivedUtc"/>, prepared once by a caller that asks often.</summary>
    public static SqliteCommand PrepareOldestReceived(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT received_utc FROM inbox ORDER BY id LIMIT 1;";
        return select;
    }

    /// <summary>When the oldest waiting message was received; null when the inbox is empty. One row of the primary key.</summary>
    /// <param name="query">From <see cref="PrepareOldestReceived"/>.</param>
    public static DateTime? OldestReceivedUtc(SqliteCommand query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.ExecuteScalar() is long ticks ? new DateTime(ticks, DateTimeKind.Utc) : null;
    }

    /// <summary>
    /// Removes every message up to and including <paramref name="lastId"/>. Safe after
    /// <see cref="ReadOldest"/>: SQLite gives a new row an id above the current largest, and the largest
    /// row read is still present, so no row inserted after the read can fall at or below it.
    /// </summary>
    public static void DeleteThrough(SqliteConnection connection, SqliteTransaction transaction, long lastId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM inbox WHERE id <= $last;";
        delete.Parameters.AddWithValue("$last", lastId);
        delete.ExecuteNonQuery();
    }

    /// <summary>Counts the messages waiting.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "inbox");
}
