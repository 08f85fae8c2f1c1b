using System.Globalization;
using System.Text;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The hub's partitions as append-only logs. Each partition numbers its events from 0 and gives each an offset (the
/// running byte count of bodies before it, as a real hub's offsets grow with the stored bytes) and an enqueued time.
/// An event without a partition goes by its partition key's hash, or round robin when it has none. Nothing expires, so
/// a partition's sequence number is also its index in that partition's list.
/// </summary>
/// <remarks>
/// The key hash is FNV-1a over the UTF-8 key, not the service's own hash: tests may rely on "one key, one partition",
/// never on which partition a key lands on.
/// </remarks>
internal sealed class PartitionLog(EventHubsAmqpPeerOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<EventHubsRecordedEvent> _events = [];
    private readonly List<EventHubsRecordedEvent>[] _partitions = NewPartitions(options.PartitionCount);
    private readonly long[] _nextOffset = new long[options.PartitionCount];
    private int _roundRobin;
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Raised after each append, outside the log's lock, with the partition that grew.</summary>
    public event Action<int>? Appended;

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

    /// <summary>Appends the events of one delivery to one partition, in their order, as one step, and returns them as stored.</summary>
    public IReadOnlyList<EventHubsRecordedEvent> Append(int partition, IReadOnlyList<IncomingEvent> incoming)
    {
        TaskCompletionSource signal;
        var stored = new List<EventHubsRecordedEvent>(incoming.Count);
        lock (_lock)
        {
            // An AMQP timestamp counts milliseconds (AMQP 1.0 section 1.6.20); stored at that precision, the time a
            // receiver reads equals the one recorded here.
            DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(options.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            List<EventHubsRecordedEvent> log = _partitions[partition];
            foreach (IncomingEvent e in incoming)
            {
                var recorded = new EventHubsRecordedEvent(
                    partition.ToString(CultureInfo.InvariantCulture),
                    log.Count,
                    _nextOffset[partition],
                    now,
                    e.PartitionKey,
                    e.Body,
                    e.ContentType,
                    e.Properties,
                    e.Annotations);
                log.Add(recorded);
                stored.Add(recorded);
                _events.Add(recorded);
                _nextOffset[partition] += e.Body.Length;
            }

            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
        Appended?.Invoke(partition);
        return stored;
    }

    /// <summary>The event at <paramref name="sequenceNumber"/> in <paramref name="partition"/>, if it is stored yet.</summary>
    public EventHubsRecordedEvent? At(int partition, long sequenceNumber)
    {
        lock (_lock)
        {
            List<EventHubsRecordedEvent> log = _partitions[partition];
            return sequenceNumber < log.Count ? log[(int)sequenceNumber] : null;
        }
    }

    /// <summary>
    /// The sequence number a receiver starting at <paramref name="start"/> reads first: the first stored event past
    /// the position, or the next one to arrive when none is.
    /// </summary>
    public long FirstAfter(int partition, StartPosition start)
    {
        lock (_lock)
        {
            List<EventHubsRecordedEvent> log = _partitions[partition];
            if (start.Field == StartField.Latest)
            {
                return log.Count;
            }

            if (start.Field == StartField.SequenceNumber)
            {
                return Math.Max(0, start.Inclusive ? start.Value : start.Value + 1);
            }

            // Offsets and times grow with the sequence number, so the first event past the position is the answer.
            for (int i = 0; i < log.Count; i++)
            {
                long value = start.Field == StartField.Offset ? log[i].Offset : log[i].EnqueuedTime.ToUnixTimeMilliseconds();
                if (value > start.Value || (start.Inclusive && value == start.Value))
                {
                    return i;
                }
            }

            return log.Count;
        }
    }

    /// <summary>The sequence number the next event in <paramref name="partition"/> will get.</summary>
    public long End(int partition)
    {
        lock (_lock)
        {
            return _partitions[partition].Count;
        }
    }

    /// <summary>The values a <c>com.microsoft:partition</c> READ reports.</summary>
    public PartitionState State(int partition)
    {
        lock (_lock)
        {
            List<EventHubsRecordedEvent> log = _partitions[partition];
            return new PartitionState(log.Count == 0 ? null : log[^1]);
        }
    }

    private static List<EventHubsRecordedEvent>[] NewPartitions(int count)
    {
        var partitions = new List<EventHubsRecordedEvent>[count];
        for (int i = 0; i < count; i++)
        {
            partitions[i] = [];
        }

        return partitions;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An event as it arrived, before the partition gives it its system values.</summary>
internal sealed record IncomingEvent(
    string? PartitionKey,
    byte[] Body,
    string? ContentType,
    IReadOnlyDictionary<string, object?> Properties,
    IReadOnlyDictionary<string, object?> Annotations);

/// <summary>A partition's newest event, or none.</summary>
internal readonly record struct PartitionState(EventHubsRecordedEvent? Last);
