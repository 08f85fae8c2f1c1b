using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The Ingest stage's writer to the <c>inbox</c> table, with group commit: appends from every
/// connection join the open <see cref="InboxCommit"/> while the previous one is being committed and go into
/// the next transaction together, so one fsync covers many device messages. An append completes only after
/// its transaction committed; the MQTT listener sends PUBACK at that moment and not before.
/// </summary>
public sealed class InboxWriter : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<InboxCommit> _sealed = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly MedTechStore _store;
    private readonly WorkSignal _committed;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InboxCommit _open;
    private bool _closed;
    private long _committedCount;
    private long _rejectedCount;
    private long _transactionCount;

    /// <summary>Starts the commit loop.</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="committed">Set after each commit, to wake the stage that drains the inbox.</param>
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

    /// <summary>SQLite transactions committed since start: <see cref="CommittedCount"/> divided by this is the mean group size.</summary>
    public long TransactionCount => Interlocked.Read(ref _transactionCount);

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
        bool wake;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            commit = _open;
            index = commit.Count;
            commit.Messages.Add(message);
            wake = index == 0;
            if (commit.Count >= BatchCapacity)
            {
                // Full: it waits for the loop as it is, and later arrivals start the next one.
                _sealed.Enqueue(commit);
                _open = new InboxCommit(BatchCapacity);
            }
        }

        if (wake)
        {
            // One wake-up per commit, given by the message that opened it.
            _work.Release();
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
        }

        _work.Release();
        await _stopped.Task.ConfigureAwait(false);
    }

    private void CommitLoop()
    {
        try
        {
            using SqliteConnection connection = _store.OpenConnection();
            using var insert = new InboxInsert(connection);
            while (true)
            {
                _work.Wait();
                while (TryTake(out InboxCommit? commit))
                {
                    Commit(connection, insert, commit);
                }

                if (IsDrainedAndClosed())
                {
                    break;
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

    private void FailAll(Exception ex)
    {
        while (true)
        {
            lock (_gate)
            {
                _closed = true;
            }

            if (!TryTake(out InboxCommit? commit))
            {
                return;
            }

            commit.Complete(ex);
        }
    }

    /// <summary>The oldest sealed commit, else the open one when it has messages (a fresh one takes its place).</summary>
    private bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InboxCommit? commit)
    {
        lock (_gate)
        {
            if (_sealed.Count > 0)
            {
                commit = _sealed.Dequeue();
                return true;
            }

            commit = _open;
            if (commit.Count == 0)
            {
                commit = null;
                return false;
            }

            _open = new InboxCommit(BatchCapacity);
            return true;
        }
    }

    private bool IsDrainedAndClosed()
    {
        lock (_gate)
        {
            return _closed && _sealed.Count == 0 && _open.Count == 0;
        }
    }

    private void Commit(SqliteConnection connection, InboxInsert insert, InboxCommit commit)
    {
        List<InboxMessage> messages = commit.Messages;
        _store.WriteLock.Wait();
        Exception? error = null;
        try
        {
            if (_store.Options.MaxSizeBytes > 0 && StoreSize.UsedBytes(connection) >= _store.Options.MaxSizeBytes)
            {
                // Full: nothing of this batch is written, so nothing of it is acknowledged.
                Interlocked.Add(ref _rejectedCount, messages.Count);
                error = new StoreFullException(_store.Options.MaxSizeBytes);
            }
            else
            {
                long[] ids = new long[messages.Count];
                using (SqliteTransaction transaction = connection.BeginTransaction())
                {
                    for (int i = 0; i < messages.Count; i++)
                    {
                        ids[i] = insert.Insert(messages[i]);
                    }

                    transaction.Commit();
                }

                commit.SetIds(ids);
                Interlocked.Add(ref _committedCount, messages.Count);
                Interlocked.Increment(ref _transactionCount);
            }
        }
        catch (Exception ex)
        {
            // Whatever failed (SQLite, or a row that cannot be bound), nothing of this batch is durable: the transaction
            // rolled back when it was disposed. Every sender is told, so none of them is acknowledged and each device
            // sends again; the loop goes on with the next commit instead of leaving this one pending forever.
            error = ex;
        }
        finally
        {
            _store.WriteLock.Release();
        }

        if (error is null)
        {
            _committed.Set();
        }

        commit.Complete(error);
    }
}
