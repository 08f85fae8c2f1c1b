using Azure.Messaging.EventHubs;
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
    private readonly CheckpointPolicy _policy;
    private readonly TimeProvider _clock;

    public EventHubIngressProcessor(CheckpointStore checkpointStore, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, TimeProvider clock, ILogger logger)
        : base(checkpointStore, settings.MaxBatchSize, settings.ConsumerGroup, endpoint.FullyQualifiedNamespace ?? string.Empty, endpoint.EventHubName, endpoint.Credential!, Options(endpoint, settings))
    {
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
        _policy = new CheckpointPolicy(settings.MaxBatchSize, settings.CheckpointInterval);
        _clock = clock;
    }

    public EventHubIngressProcessor(CheckpointStore checkpointStore, string connectionString, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, TimeProvider clock, ILogger logger)
        : base(checkpointStore, settings.MaxBatchSize, settings.ConsumerGroup, connectionString, string.IsNullOrEmpty(endpoint.EventHubName) ? null : endpoint.EventHubName, Options(endpoint, settings))
    {
        _writer = writer;
        _metrics = metrics;
        _logger = logger;
        _policy = new CheckpointPolicy(settings.MaxBatchSize, settings.CheckpointInterval);
        _clock = clock;
    }

    /// <summary>A processor for <paramref name="endpoint"/>, by its connection string or its credential.</summary>
    public static EventHubIngressProcessor Create(CheckpointStore checkpointStore, EventHubsEndpoint endpoint, EventHubIngressSettings settings, PartitionBatchWriter writer, EventHubIngressMetrics metrics, TimeProvider clock, ILogger logger) =>
        endpoint.Credential is null
            ? new EventHubIngressProcessor(checkpointStore, endpoint.ConnectionString!, endpoint, settings, writer, metrics, clock, logger)
            : new EventHubIngressProcessor(checkpointStore, endpoint, settings, writer, metrics, clock, logger);

    private static EventProcessorOptions Options(EventHubsEndpoint endpoint, EventHubIngressSettings settings)
    {
        var options = new EventProcessorOptions
        {
            ConnectionOptions = endpoint.ConnectionOptions(),
            DefaultStartingPosition = settings.StartPosition,
            PrefetchCount = settings.PrefetchCount,
            // The service's last-enqueued sequence number rides on each delivery, for the checkpoint lag.
            TrackLastEnqueuedEventProperties = true,
            // The SDK calls the handler with an empty batch after this long without events ("emitting an empty batch of
            // events", EventProcessorOptions.MaximumWaitTime): a partition that went quiet right after a full batch
            // gets its stored tail checkpointed then. Null (checkpoint after every batch): only batches with events.
            MaximumWaitTime = settings.CheckpointInterval > TimeSpan.Zero ? settings.CheckpointInterval : null,
            Identifier = settings.Identifier,
            LoadBalancingStrategy = settings.LoadBalancingStrategy,
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
        string partitionId = partition.PartitionId;
        PartitionIngressState state = _metrics.Partition(partitionId);
        if (batch.Count == 0)
        {
            // Quiet for MaximumWaitTime: the reader is at the partition's end, so what is stored is checkpointed now.
            if (state.Pending is { } pending)
            {
                await WriteCheckpointAsync(partitionId, state, pending).ConfigureAwait(false);
            }

            return;
        }

        state.OnReceived(batch.Count, batch[batch.Count - 1].SequenceNumber);
        ReadLastEnqueued(partitionId, state);
        // An exception here would fault the partition's task and the SDK would restart it from the last checkpoint
        // (EventProcessor<T>.OnProcessingEventBatchAsync: "fault the task responsible for partition processing"); the
        // writer does not throw for a refused commit but holds instead, so only a bug would take that path.
        int stored = await _writer.StoreAsync(batch, partitionId, Topic(partitionId), e => CheckpointAsync(partitionId, state, e), cancellationToken).ConfigureAwait(false);
        if (stored < 0 || batch[stored].SequenceNumber == state.LastCheckpointedSequenceNumber)
        {
            return;
        }

        // Stored, so a checkpoint may name it; the policy says whether this batch writes one now. Until one does, the
        // stored position waits for the next batch, the partition's stop (below) or a hold of the writer.
        state.Pending = CheckpointPosition.FromEvent(batch[stored]);
        // A cancelled token means the partition is stopping: lost to another owner, which may have checkpointed past
        // this position already (a write now would move its checkpoint back), or shut down, where the stop writes it.
        if (!cancellationToken.IsCancellationRequested && _policy.IsDue(batch.Count, state.LastCheckpointUtc, _clock.GetUtcNow()))
        {
            await CheckpointAsync(partitionId, state, batch[stored]).ConfigureAwait(false);
        }
    }

    protected override Task OnProcessingErrorAsync(Exception exception, EventProcessorPartition partition, string operationDescription, CancellationToken cancellationToken)
    {
        // The SDK's own failures (connection, ownership, checkpoint reads): it retries and rebalances by itself. The
        // exception's type and the SDK's message name the hub and the operation, never a key or an event's body.
        LogProcessingError(partition?.PartitionId ?? "-", operationDescription, exception.GetType().Name, EventHubsErrorText.Mask(exception.Message));
        return Task.CompletedTask;
    }

    protected override Task OnInitializingPartitionAsync(EventProcessorPartition partition, CancellationToken cancellationToken)
    {
        // A position stored under an earlier ownership is not this one's to write: the partition resumes from the store.
        _metrics.Partition(partition.PartitionId).Pending = null;
        _metrics.OnOwnershipChanged(partition.PartitionId, owned: true);
        LogPartitionClaimed(partition.PartitionId);
        return Task.CompletedTask;
    }

    protected override async Task OnPartitionProcessingStoppedAsync(EventProcessorPartition partition, ProcessingStoppedReason reason, CancellationToken cancellationToken)
    {
        // The SDK calls this after the partition's last batch returned. On a shutdown the stored but not yet
        // checkpointed tail is checkpointed, so a graceful restart reads nothing twice. Not when the partition was lost:
        // its new owner may have checkpointed past this position already.
        PartitionIngressState state = _metrics.Partition(partition.PartitionId);
        if (reason == ProcessingStoppedReason.Shutdown && state.Pending is { } pending)
        {
            await WriteCheckpointAsync(partition.PartitionId, state, pending).ConfigureAwait(false);
        }

        state.Pending = null;
        _metrics.OnOwnershipChanged(partition.PartitionId, owned: false);
        LogPartitionReleased(partition.PartitionId, reason);
    }

    /// <summary>
    /// Writes the checkpoint after the events it covers are stored. Not cancelled with the partition: the events are
    /// durable either way, and a checkpoint only saves a new owner from reading them again. A failed write is logged
    /// and left: the next batch's checkpoint covers this one, and until then a restart replays events already stored.
    /// </summary>
    private Task CheckpointAsync(string partitionId, PartitionIngressState state, SdkEventData last) =>
        WriteCheckpointAsync(partitionId, state, CheckpointPosition.FromEvent(last));

    private async Task WriteCheckpointAsync(string partitionId, PartitionIngressState state, CheckpointPosition position)
    {
        try
        {
            await UpdateCheckpointAsync(partitionId, position, CancellationToken.None).ConfigureAwait(false);
            state.OnCheckpoint(position.SequenceNumber, _clock.GetUtcNow());
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
        LastEnqueuedEventProperties last;
        try
        {
            last = ReadLastEnqueuedEventProperties(partitionId);
        }
        catch (EventHubsException ex) when (ex.Reason == EventHubsException.FailureReason.ClientClosed)
        {
            // The SDK takes a stopping partition out of its active set before it cancels the partition's token, and
            // this read throws for a partition not active. A metric must not fault the batch: the events are stored.
            return;
        }

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
