using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// Statements on the <c>dead_letter</c> table. Every stage may add a row, always in the same transaction
/// that removes the message from the stage's input, so a dead-lettered message is in exactly one place.
/// </summary>
public static class DeadLetterTable
{
    /// <summary>Adds one dead letter inside the caller's transaction.</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(letter);
        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO dead_letter (created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body, received_utc, correlation_id, device_binding)
            VALUES ($created, $stage, $kind, $error, $source, $device, $topic, $props, $sys, $body, $received, $correlation, $binding);
            """;
        InboxMessage m = letter.Message;
        insert.Parameters.AddWithValue("$created", letter.CreatedUtc.Ticks);
        insert.Parameters.AddWithValue("$stage", letter.StageName);
        insert.Parameters.AddWithValue("$kind", letter.KindName);
        insert.Parameters.AddWithValue("$error", letter.Error);
        insert.Parameters.AddWithValue("$source", m.Source);
        insert.Parameters.AddWithValue("$device", (object?)m.DeviceId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$topic", (object?)m.Topic ?? DBNull.Value);
        insert.Parameters.AddWithValue("$props", m.PropertiesJson);
        insert.Parameters.AddWithValue("$sys", m.SystemPropertiesJson);
        insert.Parameters.AddWithValue("$body", m.Body);
        // The original receive time survives a requeue: it is the measurement's ingestion time.
        insert.Parameters.AddWithValue("$received", m.ReceivedUtc.Ticks);
        // Kept, so the dead letter can be found from its log entries, and a requeue continues the same trail.
        insert.Parameters.AddWithValue("$correlation", m.CorrelationId);
        // Kept, so a requeued message is checked against the rights its sender had when it was acknowledged.
        insert.Parameters.AddWithValue("$binding", (object?)m.Binding?.Encode() ?? DBNull.Value);
        insert.ExecuteNonQuery();
    }

    /// <summary>Lists dead letters, oldest first.</summary>
    public static void List(SqliteConnection connection, int limit, List<DeadLetter> output) =>
        Read(connection, string.Empty, 0, limit, output);

    /// <summary>Lists dead letters whose id is above <paramref name="afterId"/>, oldest first (for forwarding new ones).</summary>
    public static void ListAfter(SqliteConnection connection, long afterId, int limit, List<DeadLetter> output) =>
        Read(connection, "WHERE id > $id", afterId, limit, output);

    /// <summary>The highest dead-letter id, 0 when there are none.</summary>
    public static long MaxId(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT COALESCE(MAX(id), 0) FROM dead_letter;";
        return (long)select.ExecuteScalar()!;
    }

    private static void Read(SqliteConnection connection, string where, long id, int limit, List<DeadLetter> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand select = connection.CreateCommand();
        // `where` is one of this class's own constants, never input.
        select.CommandText = $"""
            SELECT id, created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body, received_utc, correlation_id, device_binding
            FROM dead_letter {where} ORDER BY id LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$limit", limit);
        select.Parameters.AddWithValue("$id", id);
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            output.Add(new DeadLetter
            {
                Id = reader.GetInt64(0),
                CreatedUtc = new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                Stage = PipelineStages.Parse(reader.GetString(2)),
                Kind = DeadLetterKinds.Parse(reader.GetString(3)),
                Error = reader.GetString(4),
                Message = new InboxMessage
                {
                    Source = reader.GetString(5),
                    DeviceId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Topic = reader.IsDBNull(7) ? null : reader.GetString(7),
                    PropertiesJson = reader.GetString(8),
                    SystemPropertiesJson = reader.GetString(9),
                    Body = (byte[])reader.GetValue(10),
                    ReceivedUtc = new DateTime(reader.GetInt64(11), DateTimeKind.Utc),
                    CorrelationId = reader.IsDBNull(12) ? InboxMessage.NewCorrelationId() : reader.GetString(12),
                    Binding = reader.IsDBNull(13) ? null : DeviceBinding.Decode(reader.GetString(13)),
                },
            });
        }
    }

    /// <summary>Counts the dead letters.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "dead_letter");

    /// <summary>One dead letter by id, or null.</summary>
    public static DeadLetter? Find(SqliteConnection connection, long id)
    {
        var letters = new List<DeadLetter>(1);
        Read(connection, "WHERE id = $id", id, 1, letters);
        return letters.Count == 1 ? letters[0] : null;
    }

    /// <summary>
    /// Puts a dead letter back where it is taken up again and removes it, in one transaction: a device message into
    /// <c>inbox</c> (to be mapped again, with a fixed mapping), a resource the server refused without a single source
    /// message (a SampledData window) into <c>outbox</c>. False when there is no such id.
    /// </summary>
    public static bool Requeue(SqliteConnection connection, long id, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DeadLetter? letter = Find(connection, id);
        if (letter is null)
        {
            return false;
        }

        using SqliteTransaction transaction = connection.BeginTransaction();
        InboxMessage m = letter.Message;
        if (letter.Stage == PipelineStage.Persist && m.Source == MessageSources.Outbox)
        {
            // A refused row without a single source message: back to the outbox as it was, kind and keys included.
            using var insert = new OutboxInsert(connection, transaction);
            insert.Insert(OutboxResourceLetter.ToRecord(m, nowUtc));
        }
        else
        {
            if (letter.Kind == DeadLetterKind.ReferenceNotFound && m.DeviceId is not null)
            {
                // The server lacked a Patient, Device or Encounter the resource referenced: the device's identity is
                // resolved again when the message is mapped, not taken from the cache that led to the refusal. The rows
                // stay, marked stale: they still say which patient the device is linked to (issue 12 item 1).
                IdentityCacheTable.MarkStale(connection, transaction, m.DeviceId, null, null);
            }

            // Runs inside the open transaction, like any statement on this connection.
            using var insert = new InboxInsert(connection);
            insert.Insert(m);
        }

        using (SqliteCommand delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM dead_letter WHERE id = $id;";
            delete.Parameters.AddWithValue("$id", id);
            delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return true;
    }

    /// <summary>The ids of every dead letter, oldest first.</summary>
    public static List<long> Ids(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT id FROM dead_letter ORDER BY id;";
        using SqliteDataReader reader = select.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
