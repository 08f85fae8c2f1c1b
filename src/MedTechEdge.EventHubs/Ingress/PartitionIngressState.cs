namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// One partition's counters, written by the partition's batch handler (one call at a time, per the SDK) and read by
/// the metrics endpoint and the dashboard on their own threads: every field is read and written atomically.
/// </summary>
public sealed class PartitionIngressState(string partitionId)
{
    private long _received;
    private long _deadLetters;
    private long _lastReceived = -1;
    private long _lastCheckpointed = -1;
    private long _lastEnqueued = -1;
    private int _owned;

    /// <summary>The partition's id.</summary>
    public string PartitionId { get; } = partitionId;

    /// <summary>Events read from the partition since start.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Events of this partition that became dead letters at ingest (over <c>MaxEventBytes</c>).</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>The sequence number of the last event read; -1 before the first.</summary>
    public long LastReceivedSequenceNumber => Interlocked.Read(ref _lastReceived);

    /// <summary>The sequence number of the last checkpoint this instance wrote; -1 before the first.</summary>
    public long LastCheckpointedSequenceNumber => Interlocked.Read(ref _lastCheckpointed);

    /// <summary>
    /// The last sequence number the hub holds as far as this instance knows: the service's last-enqueued properties
    /// when it sends them, else the last event read. -1 before either.
    /// </summary>
    public long LastEnqueuedSequenceNumber => Math.Max(Interlocked.Read(ref _lastEnqueued), LastReceivedSequenceNumber);

    /// <summary>Events in the hub that are not checkpointed yet, by sequence number; 0 before anything is known.</summary>
    public long CheckpointLag
    {
        get
        {
            long enqueued = LastEnqueuedSequenceNumber;
            return enqueued < 0 ? 0 : enqueued - Math.Max(LastCheckpointedSequenceNumber, -1);
        }
    }

    /// <summary>True while this instance owns the partition.</summary>
    public bool Owned => Volatile.Read(ref _owned) == 1;

    internal void OnReceived(int count, long lastSequenceNumber)
    {
        Interlocked.Add(ref _received, count);
        Interlocked.Exchange(ref _lastReceived, lastSequenceNumber);
    }

    internal void OnDeadLetter() => Interlocked.Increment(ref _deadLetters);

    /// <summary>When this instance last checkpointed the partition; the handler's own (no other thread reads it).</summary>
    internal DateTimeOffset LastCheckpointUtc { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The last stored event's position when no checkpoint names it yet; the handler's own, then the stop's.</summary>
    internal Azure.Messaging.EventHubs.Processor.CheckpointPosition? Pending { get; set; }

    internal void OnCheckpoint(long sequenceNumber, DateTimeOffset at)
    {
        Interlocked.Exchange(ref _lastCheckpointed, sequenceNumber);
        LastCheckpointUtc = at;
        Pending = null;
    }

    internal void OnLastEnqueued(long sequenceNumber) => Interlocked.Exchange(ref _lastEnqueued, sequenceNumber);

    internal void SetOwned(bool owned) => Volatile.Write(ref _owned, owned ? 1 : 0);
}
