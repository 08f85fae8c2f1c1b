using System.Reflection;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.EventHubs.Ingress;
using Microsoft.Extensions.Logging.Abstractions;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>
/// The processor's handlers called as the SDK calls them, without a hub: a batch handed while the partition is being
/// stopped (removed from the SDK's active partitions, its token cancelled).
/// </summary>
public sealed class IngressProcessorHandlerTests
{
    private const string ConnectionString = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=a2V5;EntityPath=vitals;UseDevelopmentEmulator=true";

    [Fact]
    public async Task A_Batch_Of_A_Partition_That_Is_Not_Active_Is_Still_Stored()
    {
        await using var store = new IngressTestStore();
        var processor = Processor(store, out ObservingCheckpointStore checkpoints);

        // The SDK removes the partition from its active set before it cancels the partition's token: a batch handed in
        // between must not throw from ReadLastEnqueuedEventProperties (which throws for a partition not active).
        await InvokeBatchAsync(processor, [Event(5)], "0", CancellationToken.None);

        Assert.Single(store.InboxMessages());
        Assert.Equal(5, Assert.Single(checkpoints.Checkpoints).SequenceNumber);
    }

    [Fact]
    public async Task A_Batch_Stored_After_The_Partition_Was_Lost_Is_Not_Checkpointed_By_The_Former_Owner()
    {
        await using var store = new IngressTestStore();
        var processor = Processor(store, out ObservingCheckpointStore checkpoints);
        using var lost = new CancellationTokenSource();
        await lost.CancelAsync();

        await InvokeBatchAsync(processor, [Event(7)], "0", lost.Token);
        await InvokeStoppedAsync(processor, "0", ProcessingStoppedReason.OwnershipLost);

        // Stored, but the partition's new owner may have checkpointed past it already: only a shutdown writes it.
        Assert.Single(store.InboxMessages());
        Assert.Empty(checkpoints.Checkpoints);
    }

    [Fact]
    public async Task A_Batch_Stored_While_The_Processor_Stops_Is_Checkpointed_At_The_Stop()
    {
        await using var store = new IngressTestStore();
        var processor = Processor(store, out ObservingCheckpointStore checkpoints);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await InvokeBatchAsync(processor, [Event(9)], "0", stopping.Token);
        await InvokeStoppedAsync(processor, "0", ProcessingStoppedReason.Shutdown);

        Assert.Equal(9, Assert.Single(checkpoints.Checkpoints).SequenceNumber);
    }

    private static EventHubIngressProcessor Processor(IngressTestStore store, out ObservingCheckpointStore checkpoints)
    {
        checkpoints = new ObservingCheckpointStore(new SqliteCheckpointStore(store.Store, TimeProvider.System), store.InboxCount);
        var settings = new EventHubIngressSettings { MaxBatchSize = 10 };
        var metrics = new EventHubIngressMetrics();
        var writer = new PartitionBatchWriter(store.Inbox, new IngressDeadLetters(store.Store), settings, metrics, TimeProvider.System, NullLogger.Instance);
        return EventHubIngressProcessor.Create(checkpoints, EventHubsEndpoint.FromConnectionString(ConnectionString, null), settings, writer, metrics, TimeProvider.System, NullLogger.Instance);
    }

    private static SdkEventData Event(long sequenceNumber) =>
        EventHubsModelFactory.EventData(BinaryData.FromString("{\"n\":1}"), sequenceNumber: sequenceNumber, offsetString: (sequenceNumber * 100).ToString(System.Globalization.CultureInfo.InvariantCulture), enqueuedTime: DateTimeOffset.UnixEpoch);

    private static Task InvokeBatchAsync(EventHubIngressProcessor processor, List<SdkEventData> events, string partitionId, CancellationToken cancellationToken) =>
        (Task)typeof(EventHubIngressProcessor).GetMethod("OnProcessingEventBatchAsync", BindingFlags.Instance | BindingFlags.NonPublic)!
            .Invoke(processor, [events, new TestPartition(partitionId), cancellationToken])!;

    private static Task InvokeStoppedAsync(EventHubIngressProcessor processor, string partitionId, ProcessingStoppedReason reason) =>
        (Task)typeof(EventHubIngressProcessor).GetMethod("OnPartitionProcessingStoppedAsync", BindingFlags.Instance | BindingFlags.NonPublic)!
            .Invoke(processor, [new TestPartition(partitionId), reason, CancellationToken.None])!;

    private sealed class TestPartition : EventProcessorPartition
    {
        public TestPartition(string partitionId) => PartitionId = partitionId;
    }
}
