namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Runs PBKDF2 for CONNECT on a fixed set of dedicated threads, never on the thread pool. A password check costs tens
/// of milliseconds of CPU by design; on pool threads a flood of them delays every socket completion and so every PUBACK
/// of connected devices. Here at most one check per worker runs at a time, at most <c>queueCapacity</c> wait per lane,
/// and a CONNECT beyond that is refused at once (the caller answers Server busy) instead of queueing without bound.
/// </summary>
/// <remarks>
/// Two lanes: suspect checks (<see cref="MqttAuthenticationBackoff.Check.Suspect"/>: a source that failed recently,
/// has a check in flight or is untracked) wait behind every other check, so a device connecting for the first time
/// is not queued behind an attacker's guesses. Each lane has its own bound, so suspects cannot fill the queue for
/// everyone else.
/// </remarks>
internal sealed class MqttPasswordVerifier : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<Work> _normal = new();
    private readonly Queue<Work> _suspect = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Thread[] _workers;
    private readonly int _queueCapacity;
    private readonly Func<MqttPasswordHashValue, byte[], bool> _check;
    private bool _disposed;

    public MqttPasswordVerifier(int workers, int queueCapacity)
        : this(workers, queueCapacity, static (hash, password) => hash.Matches(password))
    {
    }

    /// <param name="check">The comparison a worker runs; tests pass one they can hold, to see the order of the lanes.</param>
    internal MqttPasswordVerifier(int workers, int queueCapacity, Func<MqttPasswordHashValue, byte[], bool> check)
    {
        _queueCapacity = queueCapacity;
        _check = check;
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Run) { IsBackground = true, Name = "MQTT password check " + i };
            _workers[i].Start();
        }
    }

    /// <summary>Queues a check of <paramref name="password"/> against <paramref name="hash"/>; false when its lane is full.</summary>
    /// <param name="password">Read by a worker later: the caller must not change it until the task completes.</param>
    /// <param name="suspect">The source address failed recently: the check waits behind all others.</param>
    public bool TryVerify(MqttPasswordHashValue hash, byte[] password, bool suspect, out Task<bool> verification)
    {
        var work = new Work(hash, password);
        lock (_lock)
        {
            Queue<Work> lane = suspect ? _suspect : _normal;
            // A worker that is free takes the item at once, so "waiting" is what exceeds the idle workers; counting
            // the queue alone is close enough and never lets more than capacity + workers be outstanding per lane.
            if (_disposed || lane.Count >= Math.Max(_queueCapacity, 1))
            {
                verification = Task.FromResult(false);
                return false;
            }

            lane.Enqueue(work);
        }

        _available.Release();
        verification = work.Completion.Task;
        return true;
    }

    private void Run()
    {
        while (true)
        {
            _available.Wait();
            Work? work;
            lock (_lock)
            {
                if (!_normal.TryDequeue(out work) && !_suspect.TryDequeue(out work))
                {
                    // Released by Dispose with nothing left to do.
                    return;
                }
            }

            work.Completion.TrySetResult(_check(work.Hash, work.Password));
        }
    }

    /// <summary>Stops the workers once the queues are drained; checks already queued still complete.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // One release per worker beyond the queued items: each finds the queues empty and leaves.
        _available.Release(_workers.Length);
        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        _available.Dispose();
    }

    private sealed class Work(MqttPasswordHashValue hash, byte[] password)
    {
        public MqttPasswordHashValue Hash { get; } = hash;

        public byte[] Password { get; } = password;

        // Continuations run on the pool, never on the worker, which must go straight back to the queue.
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
