using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.Configuration;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Hosting;

namespace MedTechEdge.Ingress;

/// <summary>
/// Checks <see cref="EventHubIngressOptions"/> at start and turns them into the library's settings; every refusal
/// names the setting to change and never echoes a value.
/// </summary>
internal static class EventHubIngressSettingsFactory
{
    public static EventHubIngressSettings Create(EventHubIngressOptions options)
    {
        const string Section = EventHubIngressOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            throw new ModuleStartupException($"{Section}:ConsumerGroup is empty: name the consumer group the module reads through (give it one of its own).");
        }

        if (options.MaxBatchSize < 1)
        {
            throw new ModuleStartupException($"{Section}:MaxBatchSize must be at least 1.");
        }

        // The SDK reads ahead at most PrefetchCount events; fewer than a batch would never fill one.
        if (options.PrefetchCount != 0 && options.PrefetchCount < options.MaxBatchSize)
        {
            throw new ModuleStartupException($"{Section}:PrefetchCount must be 0 or at least MaxBatchSize ({options.MaxBatchSize}).");
        }

        if (options.MaxEventBytes < 1)
        {
            throw new ModuleStartupException($"{Section}:MaxEventBytes must be at least 1.");
        }

        if (options.CheckpointInterval < TimeSpan.Zero)
        {
            throw new ModuleStartupException($"{Section}:CheckpointInterval must not be negative.");
        }

        if (options.LoadBalancingInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ModuleStartupException($"{Section}:LoadBalancingInterval must be positive.");
        }

        if (options.OwnershipExpiry is { } expiry && (expiry <= TimeSpan.Zero || (options.LoadBalancingInterval is { } every && expiry <= every)))
        {
            throw new ModuleStartupException($"{Section}:OwnershipExpiry must be positive and longer than LoadBalancingInterval.");
        }

        return new EventHubIngressSettings
        {
            ConsumerGroup = options.ConsumerGroup,
            StartPosition = StartPosition(options),
            MaxBatchSize = options.MaxBatchSize,
            PrefetchCount = options.PrefetchCount,
            MaxEventBytes = options.MaxEventBytes,
            CheckpointInterval = options.CheckpointInterval,
            LoadBalancingInterval = options.LoadBalancingInterval,
            LoadBalancingStrategy = options.LoadBalancingStrategy == IngressLoadBalancing.Balanced ? LoadBalancingStrategy.Balanced : LoadBalancingStrategy.Greedy,
            OwnershipExpiry = options.OwnershipExpiry,
            BindToConnectionDeviceId = options.BindToConnectionDeviceId,
        };
    }

    private static EventPosition StartPosition(EventHubIngressOptions options) => options.StartPosition switch
    {
        IngressStartPosition.Latest => EventPosition.Latest,
        IngressStartPosition.EnqueuedTime => EventPosition.FromEnqueuedTime(options.StartEnqueuedTime
            ?? throw new ModuleStartupException($"{EventHubIngressOptions.Section}:StartPosition is EnqueuedTime: set {EventHubIngressOptions.Section}:StartEnqueuedTime (e.g. 2026-12-01T00:00:00Z).")),
        _ => EventPosition.Earliest,
    };
}
