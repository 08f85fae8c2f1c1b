using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// How a pipeline stage commits what it moves: on the inbox writer's next transaction when the module has one (a
/// savepoint beside the acknowledged rows, docs/architecture.md "Writers"), else in a transaction of its own on the
/// stage's connection under <see cref="MedTechStore.WriteLock"/> (unit tests, tools without the writer).
/// </summary>
public static class StageCommit
{
    /// <summary>Runs <paramref name="apply"/> in one transaction and completes once it is committed.</summary>
    /// <param name="cancellationToken">Cancels only the wait for the lock; a write handed to the writer always commits.</param>
    public static async Task RunAsync(MedTechStore store, InboxWriter? writer, SqliteConnection connection, Action<SqliteConnection, SqliteTransaction> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (writer is not null)
        {
            await writer.WriteAsync(apply).ConfigureAwait(false);
            return;
        }

        await store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            apply(connection, transaction);
            transaction.Commit();
        }
        finally
        {
            store.WriteLock.Release();
        }
    }
}
