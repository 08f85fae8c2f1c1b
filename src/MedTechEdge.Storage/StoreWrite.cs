using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// A pipeline stage's writes (Map's outbox rows and inbox deletion, Persist's outbox deletes) handed to the
/// <see cref="InboxWriter"/>, which applies them on its own connection inside its next transaction, in a savepoint of
/// their own, and commits them with the inbox rows of that transaction: one transaction and one fsync instead of one
/// per stage (issue 16 §1).
/// </summary>
internal sealed class StoreWrite
{
    private readonly Action<SqliteConnection, SqliteTransaction> _apply;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="apply">The writes; runs on the writer's thread, which holds <see cref="MedTechStore.WriteLock"/>, so it must not take that lock.</param>
    public StoreWrite(Action<SqliteConnection, SqliteTransaction> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        _apply = apply;
    }

    /// <summary>Completes once the writes are committed; faults with the error when they (or their transaction) failed.</summary>
    public Task Completion => _done.Task;

    internal void Apply(SqliteConnection connection, SqliteTransaction transaction) => _apply(connection, transaction);

    internal void Complete(Exception? error)
    {
        if (error is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(error);
        }
    }
}
