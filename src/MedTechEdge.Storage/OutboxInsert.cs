using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// Inserts outbox rows in one transaction, storing each source device message once: the rows made from the same
/// <see cref="InboxMessage"/> object (five Observations of one message) share one <c>source_message</c> row. Made per
/// transaction, since the object-to-row map is only true inside it.
/// </summary>
public sealed class OutboxInsert : IDisposable
{
    private readonly SqliteCommand _outbox;
    private readonly SqliteCommand _source;
    // By reference, not by content: a message is one object for the whole batch, and comparing bodies would cost more
    // than storing a rare duplicate.
    private readonly Dictionary<InboxMessage, long> _sources = new(ReferenceEqualityComparer.Instance);

    /// <summary>Prepares the statements inside <paramref name="transaction"/>.</summary>
    public OutboxInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _outbox = connection.CreateCommand();
        _outbox.Transaction = transaction;
        _outbox.CommandText = """
            INSERT INTO outbox (created_utc, device_id, kind, resource_type, resource_id, body, source_id, patient_id, encounter_id, device_time_utc)
            VALUES ($created, $device, $kind, $type, $id, $body, $source, $patient, $encounter, $time);
            """;
        _outbox.Parameters.Add("$created", SqliteType.Integer);
        _outbox.Parameters.Add("$device", SqliteType.Text);
        _outbox.Parameters.Add("$kind", SqliteType.Integer);
        _outbox.Parameters.Add("$type", SqliteType.Text);
        _outbox.Parameters.Add("$id", SqliteType.Text);
        _outbox.Parameters.Add("$body", SqliteType.Blob);
        _outbox.Parameters.Add("$source", SqliteType.Integer);
        _outbox.Parameters.Add("$patient", SqliteType.Text);
        _outbox.Parameters.Add("$encounter", SqliteType.Text);
        _outbox.Parameters.Add("$time", SqliteType.Integer);
        _source = connection.CreateCommand();
        _source.Transaction = transaction;
        _source.CommandText = "INSERT INTO source_message (message) VALUES ($message) RETURNING id;";
        _source.Parameters.Add("$message", SqliteType.Blob);
    }

    /// <summary>Inserts one record (and its source message, the first time this insert sees it).</summary>
    public void Insert(OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        object sourceId = DBNull.Value;
        if (record.Source is { } source)
        {
            if (!_sources.TryGetValue(source, out long id))
            {
                _source.Parameters[0].Value = SourceMessageCodec.Encode(source);
                id = (long)_source.ExecuteScalar()!;
                _sources.Add(source, id);
            }

            sourceId = id;
        }

        SqliteParameterCollection p = _outbox.Parameters;
        p[0].Value = record.CreatedUtc.Ticks;
        p[1].Value = record.DeviceId;
        p[2].Value = (int)record.Kind;
        p[3].Value = record.ResourceType;
        p[4].Value = record.ResourceId;
        p[5].Value = record.Body;
        p[6].Value = sourceId;
        p[7].Value = (object?)record.PatientId ?? DBNull.Value;
        p[8].Value = (object?)record.EncounterId ?? DBNull.Value;
        p[9].Value = record.DeviceTimeUtc is { } time ? time.Ticks : DBNull.Value;
        _outbox.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _outbox.Dispose();
        _source.Dispose();
    }
}
