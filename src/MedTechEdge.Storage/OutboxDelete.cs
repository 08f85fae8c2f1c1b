using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// Removes delivered (or dead-lettered) outbox rows, and each source message once no row references it any more, in
/// one transaction. The two statements are prepared once and bound per row: Persist removes hundreds of rows per
/// commit, and preparing them per row put SQLite's parser in the profile of the commit loop (issue 16 §1).
/// </summary>
public sealed class OutboxDelete : IDisposable
{
    private readonly SqliteCommand _outbox;
    private readonly SqliteCommand _source;

    /// <summary>Prepares the statements inside <paramref name="transaction"/>.</summary>
    public OutboxDelete(SqliteConnection connection, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _outbox = connection.CreateCommand();
        _outbox.Transaction = transaction;
        _outbox.CommandText = "DELETE FROM outbox WHERE id = $id;";
        _outbox.Parameters.Add("$id", SqliteType.Integer);
        _source = connection.CreateCommand();
        _source.Transaction = transaction;
        // outbox_source (an index on outbox.source_id) makes the NOT EXISTS one lookup.
        _source.CommandText = "DELETE FROM source_message WHERE id = $source AND NOT EXISTS (SELECT 1 FROM outbox WHERE source_id = $source);";
        _source.Parameters.Add("$source", SqliteType.Integer);
    }

    /// <summary>Removes one record, and its source message when it was the last row referencing it.</summary>
    public void Delete(OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _outbox.Parameters[0].Value = record.Id;
        _outbox.ExecuteNonQuery();
        if (record.SourceId != 0)
        {
            _source.Parameters[0].Value = record.SourceId;
            _source.ExecuteNonQuery();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _outbox.Dispose();
        _source.Dispose();
    }
}
