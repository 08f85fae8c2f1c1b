using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Microsoft.Extensions.Logging;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// The Event Hubs ingress: the SDK's processor, which owns and balances partitions through the checkpoint store,
/// reads each owned partition and hands its batches here one at a time. A batch is stored (inbox rows, or dead letters)
/// before its checkpoint is written, so a checkpoint never names an event the store does not hold, and a kill -9 replays
/// at most what was read but not yet checkpointed; deterministic resource ids make that replay harmless.
/// </summary>
internal sealed partial class EventHubIngressProcessor : PluggableCheckpointStoreEventProcessor<EventProcessorPartition>
{
    private readonly PartitionBatchWriter _writer;
    private readonly EventHubIngressMetrics _metrics;
    private readonly ILogger _logger;

    public EventHubIngressProcessor(CheckpointStore checkpointStore, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, ILogger logger)
        : base(checkpointStore, settings.MaxBatchSize, settings.ConsumerGroup, endpoint.FullyQualifiedNamespace ?? string.Empty, endpoint.EventHubName, endpoint.Credential!, Options(endpoint, settings))
    {
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
    }

    public EventHubIngressProcessor(CheckpointStore checkpointStore, string connectionString, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, ILogger logger)
        : base(checkpointStore, settings.MaxBatchSize, settings.ConsumerGroup, connectionString, string.IsNullOrEmpty(endpoint.EventHubName) ? null : endpoint.EventHubName, Options(endpoint, settings))
    {
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>A processor for <paramref name="endpoint"/>, by its connection string or its credential.</summary>
    public static EventHubIngressProcessor Create(CheckpointStore checkpointStore, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, ILogger logger) =>
        endpoint.Credential is null
            ? new EventHubIngressProcessor(checkpointStore, endpoint.ConnectionString!, endpoint, settings, writer, metrics, logger)
            : new EventHubIngressProcessor(checkpointStore, endpoint, settings, writer, metrics, logger);

    private static EventProcessorOptions Options(EventHubsEndpoint endpoint, EventHubIngressSettings settings)
    {
        var options = new EventProcessorOptions
        {
            ConnectionOptions = endpoint.ConnectionOptions(),
            DefaultStartingPosition = settings.StartPosition,
            PrefetchCount = settings.PrefetchCount,
            // The service's last-enqueued sequence number rides on each delivery, for the checkpoint lag.
            TrackLastEnqueuedEventProperties = true,
            // Null: the handler is called only with events, never empty on a timer.
            MaximumWaitTime = null,
            Identifier = settings.Identifier,
        };
        if (settings.LoadBalancingInterval is TimeSpan interval)
        {
            options.LoadBalancingUpdateInterval = interval;
        }

        if (settings.OwnershipExpiry is TimeSpan expiry)
        {
            options.PartitionOwnershipExpirationInterval = expiry;
        }

        return options;
    }

    protected override async Task OnProcessingEventBatchAsync(IEnumerable<SdkEventData> events, EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        // The SDK hands a list; a copy only if a later version hands something else.
        IReadOnlyList<SdkEventData> batch = events as IReadOnlyList<SdkEventData> ?? new List<SdkEventData>(events);
        if (batch.Count == 0)
        {
            return;
        }

        string partitionId = partition.PartitionId;
        PartitionIngressState state = _metrics.Partition(partitionId);
        state.OnReceived(batch.Count, batch[batch.Count - 1].SequenceNumber);
        ReadLastEnqueued(partitionId, state);
        // An exception here would fault the partition's task and the SDK would restart it from the last checkpoint
        // (EventProcessor<T>.OnProcessingEventBatchAsync: "fault the task responsible for partition processing"); the
        // writer does not throw for a refused commit but holds instead, so only a bug would take that path.
        int stored = await _writer.StoreAsync(batch, partitionId, Topic(partitionId), e => CheckpointAsync(partitionId, state, e), cancellationToken).ConfigureAwait(false);
        if (stored >= 0 && batch[stored].SequenceNumber != state.LastCheckpointedSequenceNumber)
        {
            await CheckpointAsync(partitionId, state, batch[stored]).ConfigureAwait(false);
        }
    }

    protected override Task OnProcessingErrorAsync(Exception exception, EventProcessorPartition partition, string operationDescription, CancellationToken cancellationToken)
    {
        // The SDK's own failures (connection, ownership, checkpoint reads): it retries and rebalances by itself. The
        // exception's type and the SDK's message name the hub and the operation, never a key or an event's body.
        LogProcessingError(partition?.PartitionId ?? "-", operationDescription, exception.GetType().Name, exception.Message);
        return Task.CompletedTask;
    }

    protected override Task OnInitializingPartitionAsync(EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        _metrics.OnOwnershipChanged(partition.PartitionId, owned: true);
        LogPartitionClaimed(partition.PartitionId);
        return Task.CompletedTask;
    }

    protected override Task OnPartitionProcessingStoppedAsync(EventProcessorPartition partition, ProcessingStoppedReason reason, CancellationToken cancellationToken)
    {
        _metrics.OnOwnershipChanged(partition.PartitionId, owned: false);
        LogPartitionReleased(partition.PartitionId, reason);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes the checkpoint after the events it covers are stored. Not cancelled with the partition: the events are
    /// durable either way, and a checkpoint only saves a new owner from reading them again. A failed write is logged
    /// and left: the next batch's checkpoint covers this one, and until then a restart replays events already stored.
    /// </summary>
    private async Task CheckpointAsync(string partitionId, PartitionIngressState state, SdkEventData last)
    {
        try
        {
            await UpdateCheckpointAsync(partitionId, CheckpointPosition.FromEvent(last), CancellationToken.None).ConfigureAwait(false);
            state.OnCheckpoint(last.SequenceNumber);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCheckpointFailed(partitionId, ex.GetType().Name);
        }
    }

    private void ReadLastEnqueued(string partitionId, PartitionIngressState state)
    {
        // Filled from the service's delivery annotations when it sends them (TrackLastEnqueuedEventProperties); a peer
        // that does not leaves it empty and the lag falls back to the last event read.
        LastEnqueuedEventProperties last = ReadLastEnqueuedEventProperties(partitionId);
        if (last.SequenceNumber is long sequence)
        {
            state.OnLastEnqueued(sequence);
        }
    }

    private string Topic(string partitionId) => EventHubName + "/Partitions/" + partitionId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: {Operation} failed on partition {PartitionId}: {ErrorType}: {Error}. The SDK retries and rebalances.")]
    private partial void LogProcessingError(string partitionId, string operation, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs ingress: partition {PartitionId} is owned by this instance.")]
    private partial void LogPartitionClaimed(string partitionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs ingress: partition {PartitionId} is no longer processed here ({Reason}).")]
    private partial void LogPartitionReleased(string partitionId, ProcessingStoppedReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: the checkpoint of partition {PartitionId} could not be written ({ErrorType}); the next batch's covers it.")]
    private partial void LogCheckpointFailed(string partitionId, string errorType);
}
