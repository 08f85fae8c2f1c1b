using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Processor;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>What the ingress needs beyond the endpoint, resolved from the module's options.</summary>
public sealed record EventHubIngressSettings
{
    /// <summary>The consumer group the module reads through; give it one of its own.</summary>
    public string ConsumerGroup { get; init; } = "$Default";

    /// <summary>Where a partition without a checkpoint starts.</summary>
    public EventPosition StartPosition { get; init; } = EventPosition.Earliest;

    /// <summary>The most events one call of the batch handler gets, and so one inbox commit and one checkpoint.</summary>
    public int MaxBatchSize { get; init; } = 100;

    /// <summary>Events the SDK reads ahead per partition; holding the handler stops reading once they are in.</summary>
    public int PrefetchCount { get; init; } = 300;

    /// <summary>
    /// The longest a partition that keeps receiving full batches goes without a checkpoint; zero checkpoints every
    /// batch. A batch smaller than <see cref="MaxBatchSize"/> (the partition has caught up) is always checkpointed.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An event with a larger body is a dead letter, not an inbox row.</summary>
    public int MaxEventBytes { get; init; } = 1_048_576;

    /// <summary>The SDK's load-balancing interval; null keeps its default (10 s).</summary>
    public TimeSpan? LoadBalancingInterval { get; init; }

    /// <summary>
    /// How the SDK claims partitions. Greedy: an instance claims its whole fair share in one cycle, so a lone instance
    /// reads every partition from its first cycle after a start or restart. The SDK's default, Balanced, claims one
    /// partition per cycle: at its 10 s interval a lone instance would read 1 of 6 partitions for 10 s, 2 for the next
    /// 10 s, and so on.
    /// </summary>
    public LoadBalancingStrategy LoadBalancingStrategy { get; init; } = LoadBalancingStrategy.Greedy;

    /// <summary>The SDK's partition ownership expiration; null keeps its default (30 s).</summary>
    public TimeSpan? OwnershipExpiry { get; init; }

    /// <summary>
    /// This instance's owner id in the checkpoint store; null lets the SDK draw a fresh one per start. With a store only
    /// one instance uses (SQLite), a stable id lets a restarted instance take back its own claims at once, where a new id
    /// would wait for the old claims to expire (OwnershipExpiry) after a crash.
    /// </summary>
    public string? Identifier { get; init; }

    /// <summary>Bind an event to <c>iothub-connection-device-id</c> when it has one.</summary>
    public bool BindToConnectionDeviceId { get; init; } = true;

    /// <summary>The first pause after the store refused a batch; it doubles up to <see cref="MaxRetryPause"/>.</summary>
    public TimeSpan FirstRetryPause { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between two tries of a refused batch.</summary>
    public TimeSpan MaxRetryPause { get; init; } = TimeSpan.FromSeconds(10);
}
