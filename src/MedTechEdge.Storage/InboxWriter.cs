using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The Ingest stage's writer to the <c>inbox</c> table, with group commit: appends from every
/// connection queue up while a transaction is being committed and go into the next one together, so
/// one fsync covers many device messages. An append completes only after its transaction committed;
/// the MQTT listener sends PUBACK at that moment and not before.
/// </summary>
public sealed class InboxWriter : IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly MedTechStore _store;
    private readonly WorkSignal _committed;
    private readonly Task _loop;

    /// <summary>Starts the commit loop.</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="committed">Set after each commit, to wake the stage that drains the inbox.</param>
    public InboxWriter(MedTechStore store, WorkSignal committed)
    {
        _store = store;
        _committed = committed;
        _loop = Task.Run(CommitLoopAsync);
    }

    /// <summary>Messages committed since start.</summary>
    public long CommittedCount => Interlocked.Read(ref _committedCount);

    private long _committedCount;
    private long _rejectedCount;

    /// <summary>Messages refused since start because the store was at its size cap.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejectedCount);

    /// <summary>Appends one message; completes with its row id once the commit is durable.</summary>
    public Task<long> AppendAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = new PendingAppend(message);
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException<long>(new ObjectDisposedException(nameof(InboxWriter)));
        }

        return cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task;
    }

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task CommitLoopAsync()
    {
        using SqliteConnection connection = _store.OpenConnection();
        using var insert = new InboxInsert(connection);
        var batch = new List<PendingAppend>(_store.Options.MaxCommitBatch);
        ChannelReader<PendingAppend> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _store.Options.MaxCommitBatch && reader.TryRead(out PendingAppend? next))
            {
                batch.Add(next);
            }

            await _store.WriteLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_store.Options.MaxSizeBytes > 0 && StoreSize.UsedBytes(connection) >= _store.Options.MaxSizeBytes)
                {
                    // Full: nothing of this batch is written, so nothing of it is acknowledged.
                    Interlocked.Add(ref _rejectedCount, batch.Count);
                    var full = new StoreFullException(_store.Options.MaxSizeBytes);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i].Completion.TrySetException(full);
                    }

                    continue;
                }

                using (SqliteTransaction transaction = connection.BeginTransaction())
                {
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i].Id = insert.Insert(batch[i].Message);
                    }

                    transaction.Commit();
                }

                Interlocked.Add(ref _committedCount, batch.Count);
                _committed.Set();
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(batch[i].Id);
                }
            }
            catch (SqliteException ex)
            {
                // Nothing of this batch is durable: every sender is told, so none of them is acknowledged.
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetException(ex);
                }
            }
            finally
            {
                _store.WriteLock.Release();
            }
        }
    }

    private sealed class PendingAppend(InboxMessage message)
    {
        public InboxMessage Message { get; } = message;

        public long Id { get; set; }

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
