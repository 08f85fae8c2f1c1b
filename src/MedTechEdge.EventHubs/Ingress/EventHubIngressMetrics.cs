using System.Collections.Concurrent;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// What the Event Hubs ingress has done since start, per partition and in total: read by the Prometheus endpoint and
/// the dashboard at scrape time, written by the processor.
/// </summary>
public sealed class EventHubIngressMetrics
{
    private readonly ConcurrentDictionary<string, PartitionIngressState> _partitions = new(StringComparer.Ordinal);
    private long _ownershipChanges;
    private long _heldBatches;

    /// <summary>Partitions this instance took or gave up (the SDK's initialize and stop calls).</summary>
    public long OwnershipChanges => Interlocked.Read(ref _ownershipChanges);

    /// <summary>Times a partition's batch was refused by the store and held for another try.</summary>
    public long HeldBatches => Interlocked.Read(ref _heldBatches);

    /// <summary>Partitions owned now.</summary>
    public int OwnedPartitions
    {
        get
        {
            int owned = 0;
            foreach (KeyValuePair<string, PartitionIngressState> pair in _partitions)
            {
                owned += pair.Value.Owned ? 1 : 0;
            }

            return owned;
        }
    }

    /// <summary>Every partition seen since start, in partition id order (ids are decimal numbers).</summary>
    public List<PartitionIngressState> Snapshot()
    {
        var list = new List<PartitionIngressState>(_partitions.Values);
        list.Sort(static (a, b) => a.PartitionId.Length != b.PartitionId.Length
            ? a.PartitionId.Length.CompareTo(b.PartitionId.Length)
            : string.CompareOrdinal(a.PartitionId, b.PartitionId));
        return list;
    }

    internal PartitionIngressState Partition(string partitionId) => _partitions.GetOrAdd(partitionId, static id => new PartitionIngressState(id));

    internal void OnOwnershipChanged(string partitionId, bool owned)
    {
        Partition(partitionId).SetOwned(owned);
        Interlocked.Increment(ref _ownershipChanges);
    }

    internal void OnHeld() => Interlocked.Increment(ref _heldBatches);
}
