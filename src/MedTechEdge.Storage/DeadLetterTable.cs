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
            INSERT INTO dead_letter (created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body)
            VALUES ($created, $stage, $kind, $error, $source, $device, $topic, $props, $sys, $body);
            """;
        InboxMessage m = letter.Message;
        insert.Parameters.AddWithValue("$created", letter.CreatedUtc.Ticks);
        insert.Parameters.AddWithValue("$stage", letter.Stage);
        insert.Parameters.AddWithValue("$kind", letter.ErrorKind);
        insert.Parameters.AddWithValue("$error", letter.Error);
        insert.Parameters.AddWithValue("$source", m.Source);
        insert.Parameters.AddWithValue("$device", (object?)m.DeviceId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$topic", (object?)m.Topic ?? DBNull.Value);
        insert.Parameters.AddWithValue("$props", m.PropertiesJson);
        insert.Parameters.AddWithValue("$sys", m.SystemPropertiesJson);
        insert.Parameters.AddWithValue("$body", m.Body);
        insert.ExecuteNonQuery();
    }

    /// <summary>Lists dead letters, oldest first.</summary>
    public static void List(SqliteConnection connection, int limit, List<DeadLetter> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body
            FROM dead_letter ORDER BY id LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            output.Add(new DeadLetter
            {
                Id = reader.GetInt64(0),
                CreatedUtc = new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                Stage = reader.GetString(2),
                ErrorKind = reader.GetString(3),
                Error = reader.GetString(4),
                Message = new InboxMessage
                {
                    Source = reader.GetString(5),
                    DeviceId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Topic = reader.IsDBNull(7) ? null : reader.GetString(7),
                    PropertiesJson = reader.GetString(8),
                    SystemPropertiesJson = reader.GetString(9),
                    Body = (byte[])reader.GetValue(10),
                },
            });
        }
    }

    /// <summary>Counts the dead letters.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "dead_letter");
}
