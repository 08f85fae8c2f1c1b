using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>
/// A checkpoint store that records, at the moment each checkpoint is written, what the test's probe says (how many
/// events the inbox holds), then passes everything to the real store.
/// </summary>
internal sealed class ObservingCheckpointStore(CheckpointStore inner, Func<long> probe) : CheckpointStore
{
    private readonly List<(long SequenceNumber, long Probe)> _checkpoints = [];

    public List<(long SequenceNumber, long Probe)> Checkpoints
    {
        get
        {
            lock (_checkpoints)
            {
                return [.. _checkpoints];
            }
        }
    }

    public override Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken) =>
        inner.ListOwnershipAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, cancellationToken);

    public override Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken) =>
        inner.ClaimOwnershipAsync(desiredOwnership, cancellationToken);

    public override Task<EventProcessorCheckpoint> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken) =>
        inner.GetCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, cancellationToken);

    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, string clientIdentifier, CheckpointPosition startingPosition, CancellationToken cancellationToken)
    {
        long seen = probe();
        lock (_checkpoints)
        {
            _checkpoints.Add((startingPosition.SequenceNumber, seen));
        }

        return inner.UpdateCheckpointAsync(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId, clientIdentifier, startingPosition, cancellationToken);
    }

    [Obsolete("The SDK's older form.")]
    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, long offset, long? sequenceNumber, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The processor writes checkpoints with a CheckpointPosition.");
}
