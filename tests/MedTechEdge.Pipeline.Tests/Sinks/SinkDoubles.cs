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
            return Task.FromResult(new SinkResult(SinkOutcome.Transient, "connection refused"));
        }

        lock (Written)
        {
            foreach (OutboxRecord record in batch)
            {
                Written.Add(record.ResourceId);
            }
        }

        return Task.FromResult(SinkResult.Success);
    }
}

/// <summary>
/// A FHIR-server-like sink that refuses any batch containing one of <c>poisoned</c> ids, all or nothing,
/// as a transaction Bundle would.
/// </summary>
internal sealed class PartiallyRejectingSink(params string[] poisoned) : IResourceSink
{
    public string Name => "rejecting";

    public List<string> Written { get; } = [];

    public Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        foreach (OutboxRecord record in batch)
        {
            if (Array.IndexOf(poisoned, record.ResourceId) >= 0)
            {
                return Task.FromResult(new SinkResult(SinkOutcome.Rejected, "HTTP 400 Invalid: bad " + record.ResourceId));
            }
        }

        foreach (OutboxRecord record in batch)
        {
            Written.Add(record.ResourceId);
        }

        return Task.FromResult(SinkResult.Success);
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

        await Task.Delay(latency, cancellationToken);
        lock (Written)
        {
            foreach (OutboxRecord record in batch)
            {
                Written.Add((record.DeviceId, record.ResourceId));
            }
        }

        Interlocked.Decrement(ref _inFlight);
        return SinkResult.Success;
    }
}
