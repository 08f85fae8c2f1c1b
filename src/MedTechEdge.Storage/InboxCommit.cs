using System.Threading.Tasks.Sources;

namespace MedTechEdge.Storage;

/// <summary>
/// One group commit of the inbox: the messages that go into one SQLite transaction, and its outcome, shared by all
/// of them. Awaiting it costs one wake-up per waiter per commit rather than one per message: when it completes,
/// every message of the batch is known to be committed at the same instant, so an MQTT connection with many
/// publishes in the batch acknowledges them all in one pass.
/// </summary>
/// <remarks>
/// It is its own <see cref="IValueTaskSource"/> and, unlike a single-use source, any number of
/// <see cref="ValueTask"/>s may wait on it at once, each awaited once as usual. Continuations always run on the
/// thread pool, never on the commit loop, so a slow waiter cannot delay the next commit.
/// </remarks>
public sealed class InboxCommit : IValueTaskSource
{
    private readonly List<InboxMessage> _messages;
    private long[] _ids = [];
    private List<Waiter>? _waiters;
    private Exception? _error;
    private volatile bool _completed;

    internal InboxCommit(int capacity) => _messages = new List<InboxMessage>(capacity);

    /// <summary>True once the commit has succeeded or failed.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Why nothing of this batch was committed (a <see cref="StoreFullException"/> or a SQLite error); null on success or while pending.</summary>
    public Exception? Error => _completed ? _error : null;

    /// <summary>Anything a caller wants to keep with this commit, such as an adapter to its own result type.</summary>
    public object? Attachment { get; set; }

    internal List<InboxMessage> Messages => _messages;

    internal int Count => _messages.Count;

    /// <summary>Waits for the commit; throws <see cref="Error"/> when it failed.</summary>
    public ValueTask AsValueTask() => new(this, 0);

    /// <summary>The row id of the message that joined this commit at <paramref name="index"/>, once committed.</summary>
    public long RowId(int index)
    {
        if (!_completed || _error is not null)
        {
            throw new InvalidOperationException("The commit has not succeeded.");
        }

        return _ids[index];
    }

    /// <summary>Registers a callback for completion, run on the thread pool (at once when already complete).</summary>
    public void OnCompleted(Action<object?> continuation, object? state) =>
        OnCompleted(continuation, state, 0, ValueTaskSourceOnCompletedFlags.None);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token)
    {
        if (!_completed)
        {
            return ValueTaskSourceStatus.Pending;
        }

        return _error is null ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Faulted;
    }

    /// <inheritdoc />
    public void GetResult(short token)
    {
        if (!_completed)
        {
            throw new InvalidOperationException("The commit is still pending.");
        }

        if (_error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
        }
    }

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var waiter = new Waiter(continuation, state, (flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0 ? ExecutionContext.Capture() : null);
        lock (_messages)
        {
            if (!_completed)
            {
                (_waiters ??= new List<Waiter>(4)).Add(waiter);
                return;
            }
        }

        waiter.Schedule();
    }

    internal void SetIds(long[] ids) => _ids = ids;

    /// <summary>Publishes the outcome to every waiter. Called once, by the commit loop.</summary>
    internal void Complete(Exception? error)
    {
        List<Waiter>? waiters;
        lock (_messages)
        {
            _error = error;
            _completed = true;
            waiters = _waiters;
            _waiters = null;
        }

        if (waiters is not null)
        {
            for (int i = 0; i < waiters.Count; i++)
            {
                waiters[i].Schedule();
            }
        }
    }

    private readonly record struct Waiter(Action<object?> Continuation, object? State, ExecutionContext? Context)
    {
        public void Schedule()
        {
            if (Context is null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(Continuation, State, preferLocal: false);
            }
            else
            {
                ThreadPool.QueueUserWorkItem(static w => ExecutionContext.Run(w.Context!, static s => { var x = (Waiter)s!; x.Continuation(x.State); }, w), this, preferLocal: false);
            }
        }
    }
}
