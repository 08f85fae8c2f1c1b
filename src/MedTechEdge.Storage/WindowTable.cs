using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The <c>open_window</c> table, owned by the Map stage: open SampledData Observations (an hour, a day, a correlation id)
/// with every slot received so far. The stage merges each batch into its window in the batch's own transaction and
/// copies a window to the outbox once per flush interval and when it closes, so the FHIR server sees one write per
/// window per flush rather than one per device message.
/// </summary>
public static class WindowTable
{
    /// <summary>The open window with this Observation id, or null.</summary>
    public static WindowRecord? Find(SqliteConnection connection, SqliteTransaction transaction, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT device_id, body, closes_utc, updated_utc, dirty_since_utc, flushed, patient_id, encounter_id FROM open_window WHERE resource_id = $id;";
        find.Parameters.AddWithValue("$id", resourceId);
        using SqliteDataReader reader = find.ExecuteReader();
        return reader.Read() ? Read(resourceId, reader, 0) : null;
    }

    /// <summary>Inserts or replaces a window.</summary>
    public static void Save(SqliteConnection connection, SqliteTransaction transaction, WindowRecord window)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(window);
        using SqliteCommand save = connection.CreateCommand();
        save.Transaction = transaction;
        save.CommandText = """
            INSERT OR REPLACE INTO open_window (resource_id, device_id, body, closes_utc, updated_utc, dirty_since_utc, flushed, patient_id, encounter_id)
            VALUES ($id, $d, $b, $c, $u, $s, $f, $p, $e);
            """;
        save.Parameters.AddWithValue("$id", window.ResourceId);
        save.Parameters.AddWithValue("$d", window.DeviceId);
        save.Parameters.AddWithValue("$b", window.Body);
        save.Parameters.AddWithValue("$c", window.ClosesUtc.Ticks);
        save.Parameters.AddWithValue("$u", window.UpdatedUtc.Ticks);
        save.Parameters.AddWithValue("$s", window.DirtySinceUtc?.Ticks ?? 0L);
        save.Parameters.AddWithValue("$f", window.Flushed ? 1 : 0);
        save.Parameters.AddWithValue("$p", (object?)window.PatientId ?? DBNull.Value);
        save.Parameters.AddWithValue("$e", (object?)window.EncounterId ?? DBNull.Value);
        save.ExecuteNonQuery();
    }

    /// <summary>
    /// Windows with unflushed data that are due: their oldest unflushed data is at least <paramref name="interval"/>
    /// old, or they have just closed with data from before the close. Data that arrives for a window after it closed
    /// (a device catching up) waits the interval like any other, so a backfill is one write per window per interval.
    /// </summary>
    public static void ReadDue(SqliteConnection connection, SqliteTransaction transaction, DateTime now, TimeSpan interval, List<WindowRecord> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand due = connection.CreateCommand();
        due.Transaction = transaction;
        due.CommandText = """
            SELECT resource_id, device_id, body, closes_utc, updated_utc, dirty_since_utc, flushed, patient_id, encounter_id FROM open_window
            WHERE dirty_since_utc > 0 AND (dirty_since_utc <= $since OR (closes_utc <= $now AND dirty_since_utc <= closes_utc))
            ORDER BY dirty_since_utc;
            """;
        due.Parameters.AddWithValue("$since", (now - interval).Ticks);
        due.Parameters.AddWithValue("$now", now.Ticks);
        using SqliteDataReader reader = due.ExecuteReader();
        while (reader.Read())
        {
            output.Add(Read(reader.GetString(0), reader, 1));
        }
    }

    /// <summary>
    /// Removes flushed windows that need no more room in the store: those closed for longer than
    /// <paramref name="closedGrace"/> (late data within it still joins them), and any without data for
    /// <paramref name="idle"/> (windows without a fixed end). Data that arrives for them later opens a new window,
    /// which the sink merges into the server's copy. Returns how many.
    /// </summary>
    public static int DeleteFinished(SqliteConnection connection, SqliteTransaction transaction, DateTime now, TimeSpan closedGrace, TimeSpan idle)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM open_window WHERE dirty_since_utc = 0 AND (closes_utc <= $closed OR updated_utc <= $idle);";
        delete.Parameters.AddWithValue("$closed", (now - closedGrace).Ticks);
        delete.Parameters.AddWithValue("$idle", (now - idle).Ticks);
        return delete.ExecuteNonQuery();
    }

    /// <summary>Rows in the table.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "open_window");

    private static WindowRecord Read(string resourceId, SqliteDataReader reader, int first)
    {
        long dirty = reader.GetInt64(first + 4);
        return new WindowRecord
        {
            ResourceId = resourceId,
            DeviceId = reader.GetString(first),
            Body = (byte[])reader.GetValue(first + 1),
            ClosesUtc = new DateTime(reader.GetInt64(first + 2), DateTimeKind.Utc),
            UpdatedUtc = new DateTime(reader.GetInt64(first + 3), DateTimeKind.Utc),
            DirtySinceUtc = dirty == 0 ? null : new DateTime(dirty, DateTimeKind.Utc),
            Flushed = reader.GetInt64(first + 5) != 0,
            PatientId = reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
            EncounterId = reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        };
    }
}

/// <summary>An open SampledData window.</summary>
public sealed class WindowRecord
{
    /// <summary>The Observation's deterministic id.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The device, for per-device ordering in the outbox.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The Observation with every slot so far.</summary>
    public required byte[] Body { get; set; }

    /// <summary>When the window closes; <see cref="DateTime.MaxValue"/> when it has no fixed end (correlation id).</summary>
    public DateTime ClosesUtc { get; init; }

    /// <summary>When data was last merged in.</summary>
    public DateTime UpdatedUtc { get; set; }

    /// <summary>When the oldest data not yet copied to the outbox arrived; null when everything is flushed.</summary>
    public DateTime? DirtySinceUtc { get; set; }

    /// <summary>The patient id its messages named (business id), for the outbox row it is copied to.</summary>
    public string? PatientId { get; init; }

    /// <summary>The encounter id its messages named.</summary>
    public string? EncounterId { get; init; }

    /// <summary>True once it has been copied to the outbox at least once (later changes are amendments).</summary>
    public bool Flushed { get; set; }
}
