using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>The age policy: removes undelivered rows older than <see cref="StoreOptions.MaxAge"/>.</summary>
public static class StoreRetention
{
    /// <summary>
    /// Removes inbox and outbox rows received or produced before <paramref name="cutoffUtc"/>, in one
    /// transaction under the store's write lock. Returns how many of each were removed.
    /// </summary>
    public static async Task<(long Inbox, long Outbox)> RemoveOlderThanAsync(MedTechStore store, SqliteConnection connection, DateTime cutoffUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(connection);
        await store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            long inbox = Delete(connection, transaction, "DELETE FROM inbox WHERE received_utc < $cutoff;", cutoffUtc);
            long outbox = Delete(connection, transaction, "DELETE FROM outbox WHERE created_utc < $cutoff;", cutoffUtc);
            if (outbox > 0)
            {
                // The source messages no remaining row references (outbox_source makes each check one lookup).
                Delete(connection, transaction, "DELETE FROM source_message WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.source_id = source_message.id);", cutoffUtc);
            }
            transaction.Commit();
            return (inbox, outbox);
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    private static long Delete(SqliteConnection connection, SqliteTransaction transaction, string sql, DateTime cutoffUtc)
    {
        using SqliteCommand delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = sql;
        delete.Parameters.AddWithValue("$cutoff", cutoffUtc.Ticks);
        return delete.ExecuteNonQuery();
    }
}
