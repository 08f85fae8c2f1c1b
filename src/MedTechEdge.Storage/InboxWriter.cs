using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The Ingest stage's writer to the <c>inbox</c> table, with group commit: appends from every
/// connection join the open <see cref="InboxCommit"/> while the previous one is being committed and go into
/// the next transaction together, so one fsync covers many device messages. An append completes only after
/// its transaction committed; the MQTT listener sends PUBACK at that moment and not before.
/// It is also the hot path's one writer for the pipeline stages: their writes (<see cref="WriteAsync"/>) ride the
/// next transaction, each in a savepoint of its own, so the Map and Persist stages add no transaction (and no wait
/// for <see cref="MedTechStore.WriteLock"/>) in front of the next acknowledgement.
/// </summary>
public sealed class InboxWriter : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<InboxCommit> _sealed = new();
    private List<StoreWrite> _writes = [];
    private List<StoreWrite>? _spareWrites = [];
    private readonly MedTechStore _store;
    private readonly WorkSignal _committed;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InboxCommit _open;
    private bool _closed;
    private Exception? _failure;
    private long _committedCount;
    private long _rejectedCount;
    private long _transactionCount;
    private long _deviceCommitCount;
    private long _deviceMessageCount;
    private long _writeCount;

    /// <summary>Starts the commit loop.</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="committed">Set after each commit of inbox rows, to wake the stage that drains the inbox.</param>
    public InboxWriter(MedTechStore store, WorkSignal committed)
    {
        _store = store;
        _committed = committed;
        _open = new InboxCommit(BatchCapacity);
        // A thread of its own: the loop blocks in SQLite (and in fsync) by design, and on a small gateway a blocked
        // pool thread would delay the socket and acknowledgement work queued behind it.
        new Thread(CommitLoop) { IsBackground = true, Name = "inbox group commit" }.Start();
    }

    /// <summary>Messages committed since start.</summary>
    public long CommittedCount => Interlocked.Read(ref _committedCount);

    /// <summary>
    /// SQLite transactions committed since start, with inbox rows or only the stages' writes. Where no stage writes
    /// through the writer (the ingest path alone), <see cref="CommittedCount"/> divided by this is the mean group size.
    /// </summary>
    public long TransactionCount => Interlocked.Read(ref _transactionCount);

    /// <summary>
    /// Commits since start that held messages a device waits on (MQTT's PUBACK, edgeHub's feedback:
    /// <see cref="MessageSources.AwaitAcknowledgement"/>). <see cref="DeviceMessageCount"/> over this, between two
    /// readings, is how many such acknowledgements each commit released: one or two when devices send one message at a
    /// time, hundreds while a burst waits on the group commit (the Map stage's burst deferral reads it). Event Hubs
    /// batches and replays, which no device waits on, are not counted.
    /// </summary>
    public long DeviceCommitCount => Interlocked.Read(ref _deviceCommitCount);

    /// <summary>Messages a device waits on (see <see cref="DeviceCommitCount"/>) committed since start.</summary>
    public long DeviceMessageCount => Interlocked.Read(ref _deviceMessageCount);

    /// <summary>Pipeline writes (<see cref="WriteAsync"/>) committed since start.</summary>
    public long WriteCount => Interlocked.Read(ref _writeCount);

    /// <summary>Messages refused since start because the store was at its size cap.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    private int BatchCapacity => Math.Max(1, _store.Options.MaxCommitBatch);

    /// <summary>
    /// Queues one message for the next group commit and returns that commit, shared with the messages that join it.
    /// Does not wait: await the commit (or register on it) to learn when the message is durable.
    /// </summary>
    /// <param name="message">The message; not to be changed afterwards.</param>
    /// <param name="index">Its place in the commit, for <see cref="InboxCommit.RowId"/>.</param>
    /// <exception cref="ObjectDisposedException">The writer is stopping: the message was not queued.</exception>
    public InboxCommit Enqueue(InboxMessage message, out int index)
    {
        ArgumentNullException.ThrowIfNull(message);
        InboxCommit commit;
        lock (_gate)
        {
            ThrowIfStopped();
            commit = _open;
            index = commit.Count;
            commit.Messages.Add(message);
            if (index == 0)
            {
                // One wake-up per commit, given by the message that opened it (the loop waits only when nothing is queued).
                Monitor.Pulse(_gate);
            }

            if (commit.Count >= BatchCapacity)
            {
                // Full: it waits for the loop as it is, and later arrivals start the next one.
                _sealed.Enqueue(commit);
                _open = new InboxCommit(BatchCapacity);
            }
        }

        return commit;
    }

    /// <summary>Appends one message; completes with its row id once the commit is durable.</summary>
    public async Task<long> AppendAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        InboxCommit commit = Enqueue(message, out int index);
        await commit.AsValueTask().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        return commit.RowId(index);
    }

    /// <summary>
    /// Queues a pipeline stage's writes for the next transaction. They run on the writer's thread and connection, inside
    /// its transaction (which holds <see cref="MedTechStore.WriteLock"/>: <paramref name="apply"/> must not take it), in a
    /// savepoint of their own: when <paramref name="apply"/> throws, only its own changes are rolled back and only its
    /// task fails. They are committed whether or not the store is at its size cap (they are what frees space), at the
    /// configured durability when the transaction also holds inbox rows and at <c>synchronous=NORMAL</c> when not.
    /// </summary>
    /// <returns>Completes once the writes are committed; faults with their error, or the transaction's.</returns>
    /// <exception cref="ObjectDisposedException">The writer is stopping: nothing was queued.</exception>
    public Task WriteAsync(Action<SqliteConnection, SqliteTransaction> apply)
    {
        var write = new StoreWrite(apply);
        lock (_gate)
        {
            ThrowIfStopped();
            if (_writes.Count == 0)
            {
                Monitor.Pulse(_gate);
            }

            _writes.Add(write);
        }

        return write.Completion;
    }

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Monitor.Pulse(_gate);
        }

        await _stopped.Task.ConfigureAwait(false);
    }

    private void CommitLoop()
    {
        try
        {
            using SqliteConnection connection = _store.OpenConnection();
            using var insert = new InboxInsert(connection);
            using SqliteCommand sizeQuery = StoreSize.Prepare(connection);
            bool acknowledging = true;
            while (TakeWork(out InboxCommit? commit, out List<StoreWrite> writes))
            {
                Commit(connection, insert, sizeQuery, commit, writes, ref acknowledging);
                writes.Clear();
                lock (_gate)
                {
                    _spareWrites = writes;
                }
            }

            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            // The store could not be opened: fail every waiting and later append rather than leave them hanging.
            FailAll(ex);
            _stopped.TrySetException(ex);
        }
    }

    /// <summary>Under <see cref="_gate"/>: refuses new work once closed, naming why when the store could not be opened.</summary>
    private void ThrowIfStopped()
    {
        if (_closed)
        {
            throw _failure is null
                ? new ObjectDisposedException(nameof(InboxWriter))
                : new ObjectDisposedException("The store's writer stopped: " + _failure.Message, _failure);
        }
    }

    private void FailAll(Exception ex)
    {
        lock (_gate)
        {
            _failure = ex;
            _closed = true;
        }

        while (TakeWork(out InboxCommit? commit, out List<StoreWrite> writes))
        {
            commit?.Complete(ex);
            foreach (StoreWrite write in writes)
            {
                write.Complete(ex);
            }

            writes.Clear();
        }
    }

    /// <summary>
    /// Waits for work and takes it: the oldest sealed commit, else the open one when it has messages (a fresh one takes
    /// its place), and every queued pipeline write. False once the writer is closed and nothing is left.
    /// </summary>
    /// <remarks>A monitor rather than a semaphore: the loop blocks at once when idle instead of spinning first, which on a
    /// two-core gateway took CPU from the connections it was waiting for.</remarks>
    private bool TakeWork(out InboxCommit? commit, out List<StoreWrite> writes)
    {
        lock (_gate)
        {
            while (_sealed.Count == 0 && _open.Count == 0 && _writes.Count == 0)
            {
                if (_closed)
                {
                    commit = null;
                    writes = [];
                    return false;
                }

                Monitor.Wait(_gate);
            }

            if (_sealed.Count > 0)
            {
                commit = _sealed.Dequeue();
            }
            else if (_open.Count > 0)
            {
                commit = _open;
                _open = new InboxCommit(BatchCapacity);
            }
            else
            {
                commit = null;
            }

            writes = _writes;
            // Two lists in turn: the loop's, and the one stages add to meanwhile.
            _writes = _spareWrites ?? [];
            _spareWrites = null;
            return true;
        }
    }

    /// <summary>
    /// One transaction: the inbox rows of <paramref name="commit"/> (unless the store is at its cap), then each write in
    /// its savepoint, one COMMIT; then the commit's waiters (the PUBACKs) and the writes learn the outcome.
    /// </summary>
    private void Commit(SqliteConnection connection, InboxInsert insert, SqliteCommand sizeQuery, InboxCommit? commit, List<StoreWrite> writes, ref bool acknowledging)
    {
        _store.WriteLock.Wait();
        Exception? error = null;
        Exception? commitError = null;
        Exception?[]? writeErrors = null;
        long[]? ids = null;
        try
        {
            if (commit is not null && _store.Options.MaxSizeBytes > 0 && StoreSize.UsedBytes(sizeQuery) >= _store.Options.MaxSizeBytes)
            {
                // Full: nothing of this batch is written, so nothing of it is acknowledged. The pipeline's writes still
                // go in: they are what frees the space.
                Interlocked.Add(ref _rejectedCount, commit.Count);
                commitError = new StoreFullException(_store.Options.MaxSizeBytes);
                commit.Complete(commitError);
                commit = null;
            }

            if (commit is not null || writes.Count > 0)
            {
                // Only a transaction with inbox rows is acknowledged to anyone: the pipeline's own moves commit at NORMAL,
                // as on a pipeline connection (docs/reliability.md, "Which commits are fsynced").
                bool acknowledges = commit is not null || !_store.AcknowledgingIsStricter;
                if (acknowledges != acknowledging)
                {
                    _store.SetSynchronous(connection, acknowledges);
                    acknowledging = acknowledges;
                }

                using SqliteTransaction transaction = connection.BeginTransaction();
                if (commit is not null)
                {
                    ids = Insert(transaction, insert, commit, writes.Count > 0, out commitError);
                }

                for (int i = 0; i < writes.Count; i++)
                {
                    if (Apply(connection, transaction, writes[i], "pipeline_write") is { } failed)
                    {
                        (writeErrors ??= new Exception?[writes.Count])[i] = failed;
                    }
                }

                transaction.Commit();
                Interlocked.Increment(ref _transactionCount);
            }
        }
        catch (Exception ex)
        {
            // Whatever failed (SQLite, or a row that cannot be bound), nothing of this transaction is durable: it rolled
            // back when it was disposed. Every sender and stage is told, so none of them is acknowledged and each device
            // sends again; the loop goes on with the next commit instead of leaving this one pending forever.
            error = ex;
        }
        finally
        {
            _store.WriteLock.Release();
        }

        if (commit is not null)
        {
            if (error is null && commitError is null)
            {
                commit.SetIds(ids!);
                Interlocked.Add(ref _committedCount, commit.Count);
                CountDeviceMessages(commit.Messages);
                _committed.Set();
            }

            commit.Complete(error ?? commitError);
        }

        for (int i = 0; i < writes.Count; i++)
        {
            Exception? failed = error ?? writeErrors?[i];
            if (failed is null)
            {
                Interlocked.Increment(ref _writeCount);
            }

            writes[i].Complete(failed);
        }
    }

    private void CountDeviceMessages(List<InboxMessage> messages)
    {
        int waiting = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (MessageSources.AwaitAcknowledgement(messages[i].Source))
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            // Messages first: a reader that sees the new commit also sees its messages (the other order could only make
            // one reading look like less of a burst, never more).
            Interlocked.Add(ref _deviceMessageCount, waiting);
            Interlocked.Increment(ref _deviceCommitCount);
        }
    }

    /// <summary>The inbox rows; with writes in the same transaction, in a savepoint, so a row that cannot be written fails its commit and not the writes.</summary>
    private static long[]? Insert(SqliteTransaction transaction, InboxInsert insert, InboxCommit commit, bool shared, out Exception? error)
    {
        List<InboxMessage> messages = commit.Messages;
        long[] ids = new long[messages.Count];
        error = null;
        if (!shared)
        {
            for (int i = 0; i < messages.Count; i++)
            {
                ids[i] = insert.Insert(messages[i]);
            }

            return ids;
        }

        transaction.Save("inbox_rows");
        try
        {
            for (int i = 0; i < messages.Count; i++)
            {
                ids[i] = insert.Insert(messages[i]);
            }
        }
        catch (Exception ex)
        {
            error = ex;
            RollBackTo(transaction, "inbox_rows", ex);
        }

        transaction.Release("inbox_rows");
        return error is null ? ids : null;
    }

    /// <summary>One pipeline write in its savepoint; its error, rolled back alone. A failure to roll back ends the transaction.</summary>
    private static Exception? Apply(SqliteConnection connection, SqliteTransaction transaction, StoreWrite write, string savepoint)
    {
        transaction.Save(savepoint);
        Exception? error = null;
        try
        {
            write.Apply(connection, transaction);
        }
        catch (Exception ex)
        {
            error = ex;
            RollBackTo(transaction, savepoint, ex);
        }

        transaction.Release(savepoint);
        return error;
    }

    /// <summary>
    /// Undoes a savepoint. Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) make SQLite roll back the whole
    /// transaction by itself (sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction"); the savepoint is
    /// then gone and rolling back to it fails. The error that ended the transaction is the one every waiter must learn,
    /// not the failed rollback's, so it is thrown again as it was.
    /// </summary>
    private static void RollBackTo(SqliteTransaction transaction, string savepoint, Exception cause)
    {
        try
        {
            transaction.Rollback(savepoint);
        }
        catch (Exception)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }
    }
}
