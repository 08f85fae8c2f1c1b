using System.Text;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The hub's partitions as append-only logs. Each partition numbers its events from 0 and gives each an offset (the
/// running byte count of bodies before it, as a real hub's offsets grow with the stored bytes) and an enqueued time.
/// An event without a partition goes by its partition key's hash, or round robin when it has none.
/// </summary>
/// <remarks>
/// The key hash is FNV-1a over the UTF-8 key, not the service's own hash: tests may rely on "one key, one partition",
/// never on which partition a key lands on.
/// </remarks>
internal sealed class PartitionLog(EventHubsAmqpPeerOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<EventHubsRecordedEvent> _events = [];
    private readonly long[] _nextSequenceNumber = new long[options.PartitionCount];
    private readonly long[] _nextOffset = new long[options.PartitionCount];
    private int _roundRobin;
    private TaskCompletionSource _appended = NewSignal();

    public int PartitionCount => options.PartitionCount;

    public IReadOnlyList<EventHubsRecordedEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    /// <summary>Completes on the next append after the call.</summary>
    public Task NextAppendAsync()
    {
        lock (_lock)
        {
            return _appended.Task;
        }
    }

    /// <summary>Picks the partition for one send: the link's, else the key's, else the next in turn.</summary>
    public int Route(int? linkPartition, string? partitionKey)
    {
        if (linkPartition is int partition)
        {
            return partition;
        }

        if (partitionKey is not null)
        {
            uint hash = 2166136261;
            foreach (byte b in Encoding.UTF8.GetBytes(partitionKey))
            {
                hash = (hash ^ b) * 16777619;
            }

            return (int)(hash % (uint)options.PartitionCount);
        }

        lock (_lock)
        {
            return _roundRobin++ % options.PartitionCount;
        }
    }

    /// <summary>Appends the events of one delivery to one partition, in their order, as one step.</summary>
    public void Append(int partition, IReadOnlyList<IncomingEvent> incoming)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            DateTimeOffset now = options.Clock.GetUtcNow();
            foreach (IncomingEvent e in incoming)
            {
                _events.Add(new EventHubsRecordedEvent(
                    partition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _nextSequenceNumber[partition]++,
                    _nextOffset[partition],
                    now,
                    e.PartitionKey,
                    e.Body,
                    e.ContentType,
                    e.Properties));
                _nextOffset[partition] += e.Body.Length;
            }

            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>The values a <c>com.microsoft:partition</c> READ reports.</summary>
    public PartitionState State(int partition)
    {
        lock (_lock)
        {
            EventHubsRecordedEvent? last = null;
            for (int i = _events.Count - 1; i >= 0; i--)
            {
                if (_events[i].PartitionId == partition.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    last = _events[i];
                    break;
                }
            }

            return new PartitionState(last);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An event as it arrived, before the partition gives it its system values.</summary>
internal sealed record IncomingEvent(
    string? PartitionKey, byte[] Body, string? ContentType, IReadOnlyDictionary<string, object?> Properties);

/// <summary>A partition's newest event, or none.</summary>
internal readonly record struct PartitionState(EventHubsRecordedEvent? Last);
