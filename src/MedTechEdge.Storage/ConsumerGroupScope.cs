namespace MedTechEdge.Storage;

/// <summary>
/// One consumer group of one event hub, as the Event Hubs SDK scopes ownership and checkpoints: the namespace's host
/// name, the hub and the group. Lower case, as the SDK's blob checkpoint store names its blobs, so the same hub
/// spelled differently in two settings is still one scope.
/// </summary>
public readonly record struct ConsumerGroupScope
{
    /// <summary>A scope; the names are kept in lower case (invariant culture).</summary>
    public ConsumerGroupScope(string @namespace, string eventHub, string consumerGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(eventHub);
        ArgumentException.ThrowIfNullOrEmpty(consumerGroup);
        Namespace = @namespace.ToLowerInvariant();
        EventHub = eventHub.ToLowerInvariant();
        ConsumerGroup = consumerGroup.ToLowerInvariant();
    }

    /// <summary>The namespace's host name, e.g. <c>contoso.servicebus.windows.net</c>.</summary>
    public string Namespace { get; }

    /// <summary>The event hub.</summary>
    public string EventHub { get; }

    /// <summary>The consumer group.</summary>
    public string ConsumerGroup { get; }
}
