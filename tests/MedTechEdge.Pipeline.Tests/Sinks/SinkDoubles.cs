using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>A sink that is down for the first <c>failures</c> calls (an outage), then writes everything.</summary>
internal sealed class RevivableSink(int failures) : IResourceSink
{
    private int _calls;

    public string Name => "revivable";

    public List<string> Written { get; } = [];

    public int Calls => _calls;

    public Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) <= failures)
        {
            return Task.FromResult(SinkResult.Failure(batch, new SendFailureDetails(SinkFailureKind.Transient, "connection refused")));
        }

        lock (Written)
        {
            foreach (OutboxRecord record in batch)
            {
                Written.Add(record.ResourceId);
            }
        }

        return Task.FromResult(SinkResult.Success(batch));
    }
}

/// <summary>A sink that refuses the records with one of <c>poisoned</c> ids for good and writes the others.</summary>
internal sealed class PartiallyRejectingSink(params string[] poisoned) : IResourceSink
{
    public string Name => "rejecting";

    public List<string> Written { get; } = [];

    public Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        var succeeded = new List<OutboxRecord>();
        var failed = new List<SinkRecordFailure>();
        foreach (OutboxRecord record in batch)
        {
            if (Array.IndexOf(poisoned, record.ResourceId) >= 0)
            {
                failed.Add(new SinkRecordFailure(record, new SendFailureDetails(SinkFailureKind.InvalidInput, "HTTP 400 Invalid: bad " + record.ResourceId)));
            }
            else
            {
                succeeded.Add(record);
                Written.Add(record.ResourceId);
            }
        }

        return Task.FromResult(new SinkResult(succeeded, failed));
    }
}

/// <summary>A sink that takes its time and records what it wrote and how many writes overlapped.</summary>
internal sealed class SlowRecordingSink(TimeSpan latency) : IResourceSink
{
    private int _inFlight;
    private int _maxInFlight;

    public string Name => "slow";

    public List<(string Device, string Id)> Written { get; } = [];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        // Real latency on purpose: writes must overlap in real time for the in-flight maximum to mean anything.
        await Task.Delay(latency, cancellationToken);
        lock (Written)
        {
            foreach (OutboxRecord record in batch)
            {
                Written.Add((record.DeviceId, record.ResourceId));
            }
        }

        Interlocked.Decrement(ref _inFlight);
        return SinkResult.Success(batch);
    }
}

/// <summary>
/// A sink with a bug: it throws (an exception it does not turn into a result) for any batch holding one of
/// <c>poisoned</c> ids, and writes every other batch.
/// </summary>
internal sealed class ThrowingSink(params string[] poisoned) : IResourceSink
{
    private int _poisonedCalls;

    public string Name => "throwing";

    public List<string> Written { get; } = [];

    public int PoisonedCalls => Volatile.Read(ref _poisonedCalls);

    public Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        foreach (OutboxRecord record in batch)
        {
            if (Array.IndexOf(poisoned, record.ResourceId) >= 0)
            {
                Interlocked.Increment(ref _poisonedCalls);
                throw new InvalidOperationException("bug while serializing " + record.ResourceId);
            }
        }

        lock (Written)
        {
            foreach (OutboxRecord record in batch)
            {
                Written.Add(record.ResourceId);
            }
        }

        return Task.FromResult(SinkResult.Success(batch));
    }
}
