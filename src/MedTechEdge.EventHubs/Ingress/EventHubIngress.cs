using Azure.Messaging.EventHubs.Primitives;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// Device messages from an event hub into the inbox: the SDK's event processor over the hub's partitions, with the
/// given checkpoint store, writing each partition's batches through the inbox's group commit and checkpointing only
/// what is committed. The one type the host needs.
/// </summary>
public sealed class EventHubIngress : IAsyncDisposable
{
    private readonly EventHubIngressProcessor _processor;
    private readonly IngressDeadLetters _deadLetters;

    /// <summary>An ingress that starts with <see cref="StartAsync"/>.</summary>
    /// <param name="endpoint">The hub and how to sign in to it.</param>
    /// <param name="settings">Consumer group, start position, batch and size limits.</param>
    /// <param name="checkpointStore">Ownership and checkpoints: <see cref="Checkpoints.SqliteCheckpointStore"/>, or one shared by several instances.</param>
    /// <param name="inbox">The inbox's group-commit writer.</param>
    /// <param name="store">The store, for the ingress's own dead letters.</param>
    /// <param name="clock">The clock of receive times and of the pauses while the store refuses commits.</param>
    /// <param name="loggerFactory">Logs; never an event's body or a secret above Debug.</param>
    public EventHubIngress(EventHubsEndpoint endpoint, EventHubIngressSettings settings, CheckpointStore checkpointStore, InboxWriter inbox, MedTechStore store, TimeProvider clock, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _deadLetters = new IngressDeadLetters(store);
        var writer = new PartitionBatchWriter(inbox, _deadLetters, settings, Metrics, clock, loggerFactory.CreateLogger<PartitionBatchWriter>());
        _processor = EventHubIngressProcessor.Create(checkpointStore, endpoint, settings, writer, Metrics, clock, loggerFactory.CreateLogger<EventHubIngressProcessor>());
    }

    /// <summary>Events received, partitions owned, checkpoint lag, ownership changes.</summary>
    public EventHubIngressMetrics Metrics { get; } = new();

    /// <summary>The namespace's host name (no secret).</summary>
    public string FullyQualifiedNamespace => _processor.FullyQualifiedNamespace;

    /// <summary>The event hub.</summary>
    public string EventHubName => _processor.EventHubName;

    /// <summary>The consumer group.</summary>
    public string ConsumerGroup => _processor.ConsumerGroup;

    /// <summary>This instance's owner id in the checkpoint store.</summary>
    public string Identifier => _processor.Identifier;

    /// <summary>
    /// Starts claiming and reading partitions. Fails (an <see cref="AggregateException"/> from the SDK) when the hub
    /// cannot be reached or the settings are refused.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken) => _processor.StartProcessingAsync(cancellationToken);

    /// <summary>Stops reading; batches in hand finish and are checkpointed, partitions are given up.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _processor.StopProcessingAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_processor.IsRunning)
        {
            await _processor.StopProcessingAsync().ConfigureAwait(false);
        }

        _deadLetters.Dispose();
    }
}
