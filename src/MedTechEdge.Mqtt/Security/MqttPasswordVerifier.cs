using System.Collections.Concurrent;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Runs PBKDF2 for CONNECT on a fixed set of dedicated threads, never on the thread pool. A password check costs tens
/// of milliseconds of CPU by design; on pool threads a flood of them delays every socket completion and so every PUBACK
/// of connected devices. Here at most one check per worker runs at a time, at most <c>queueCapacity</c> wait, and a
/// CONNECT beyond that is refused at once (the caller answers Server busy) instead of queueing without bound.
/// </summary>
internal sealed class MqttPasswordVerifier : IDisposable
{
    private readonly BlockingCollection<Work> _queue;
    private readonly Thread[] _workers;
    private int _disposed;

    public MqttPasswordVerifier(int workers, int queueCapacity)
    {
        // BlockingCollection's bound counts items not yet taken: exactly the CONNECTs waiting for a worker. Capacity 0
        // is not allowed there, so "no waiting" is one slot, which a busy worker leaves empty for an instant at most.
        _queue = new BlockingCollection<Work>(new ConcurrentQueue<Work>(), Math.Max(queueCapacity, 1));
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Run) { IsBackground = true, Name = "MQTT password check " + i };
            _workers[i].Start();
        }
    }

    /// <summary>Queues a check of <paramref name="password"/> against <paramref name="hash"/>; false when the queue is full.</summary>
    /// <param name="password">Read by a worker later: the caller must not change it until the task completes.</param>
    public bool TryVerify(MqttPasswordHashValue hash, byte[] password, out Task<bool> verification)
    {
        var work = new Work(hash, password);
        if (Volatile.Read(ref _disposed) == 1 || !_queue.TryAdd(work))
        {
            verification = Task.FromResult(false);
            return false;
        }

        verification = work.Completion.Task;
        return true;
    }

    private void Run()
    {
        foreach (Work work in _queue.GetConsumingEnumerable())
        {
            work.Completion.TrySetResult(work.Hash.Matches(work.Password));
        }
    }

    /// <summary>Stops the workers once the queue is drained; checks already queued still complete.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        _queue.Dispose();
    }

    private sealed class Work(MqttPasswordHashValue hash, byte[] password)
    {
        public MqttPasswordHashValue Hash { get; } = hash;

        public byte[] Password { get; } = password;

        // Continuations run on the pool, never on the worker, which must go straight back to the queue.
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
