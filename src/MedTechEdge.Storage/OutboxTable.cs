using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// Statements on the <c>outbox</c> table and the <c>source_message</c> rows it references. Owner: Map (inserts with
/// <see cref="OutboxInsert"/>). Drained by Persist.
/// </summary>
public static class OutboxTable
{
    /// <summary>Reads the oldest records, up to <paramref name="limit"/>, in production order.</summary>
    public static void ReadOldest(SqliteConnection connection, int limit, List<OutboxRecord> output) => ReadAfter(connection, 0, limit, output);

    /// <summary>
    /// Reads the oldest records with an id above <paramref name="afterId"/>, up to <paramref name="limit"/>, in
    /// production order. Ids are AUTOINCREMENT: a new row's id is above every id ever given out, even when the rows
    /// with the highest ids were deleted meanwhile, so a reader that remembers its last id never misses a later row.
    /// </summary>
    public static void ReadAfter(SqliteConnection connection, long afterId, int limit, List<OutboxRecord> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = """
            SELECT o.id, o.created_utc, o.device_id, o.kind, o.resource_type, o.resource_id, o.body, o.source_id, s.message,
                   o.patient_id, o.encounter_id, o.device_time_utc
            FROM outbox o LEFT JOIN source_message s ON s.id = o.source_id
            WHERE o.id > $after ORDER BY o.id LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader reader = select.ExecuteReader();
        // A message's rows are adjacent (one Map transaction wrote them): decode it once and share the object.
        long lastSourceId = 0;
        InboxMessage? lastSource = null;
        while (reader.Read())
        {
            long sourceId = reader.IsDBNull(7) ? 0 : reader.GetInt64(7);
            if (sourceId != lastSourceId)
            {
                lastSourceId = sourceId;
                lastSource = sourceId == 0 || reader.IsDBNull(8) ? null : SourceMessageCodec.Decode((byte[])reader.GetValue(8));
            }

            output.Add(new OutboxRecord
            {
                Id = reader.GetInt64(0),
                CreatedUtc = new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                DeviceId = reader.GetString(2),
                Kind = (OutboxKind)reader.GetInt32(3),
                ResourceType = reader.GetString(4),
                ResourceId = reader.GetString(5),
                Body = (byte[])reader.GetValue(6),
                SourceId = sourceId,
                Source = lastSource,
                PatientId = reader.IsDBNull(9) ? null : reader.GetString(9),
                EncounterId = reader.IsDBNull(10) ? null : reader.GetString(10),
                DeviceTimeUtc = reader.IsDBNull(11) ? null : new DateTime(reader.GetInt64(11), DateTimeKind.Utc),
            });
        }
    }

    /// <summary>
    /// Puts the device message of <paramref name="records"/> back into <c>inbox</c> and removes the rows, in the caller's
    /// transaction: their references are stale and the message is mapped again (a record without a source is skipped).
    /// </summary>
    public static void ReturnToInbox(SqliteConnection connection, SqliteTransaction transaction, List<OutboxRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        // Runs inside the open transaction, like any statement on this connection.
        using var inbox = new InboxInsert(connection);
        // Several rows of one message (its Observations) go back as one message: by source row, or by object when unsaved.
        var sourceIds = new HashSet<long>();
        var sources = new HashSet<InboxMessage>(ReferenceEqualityComparer.Instance);
        using var delete = new OutboxDelete(connection, transaction);
        foreach (OutboxRecord record in records)
        {
            if (record.Source is { } source)
            {
                if (record.SourceId != 0 ? sourceIds.Add(record.SourceId) : sources.Add(source))
                {
                    inbox.Insert(source);
                }

                delete.Delete(record);
            }
        }
    }

    /// <summary>Counts the records waiting.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "outbox");

    /// <summary>Counts the stored source messages (each once, however many rows it produced).</summary>
    public static long SourceCount(SqliteConnection connection) => StoreQueries.Count(connection, "source_message");
}
