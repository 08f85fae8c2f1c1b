namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>The hub an <see cref="EventHubsAmqpPeer"/> plays and the key it signs tokens with.</summary>
public sealed class EventHubsAmqpPeerOptions
{
    public string Hub { get; init; } = "vitals";

    public int PartitionCount { get; init; } = 4;

    /// <summary>The consumer groups receive links may name; any other is refused with amqp:not-found.</summary>
    public IReadOnlyList<string> ConsumerGroups { get; init; } = ["$Default"];

    public string KeyName { get; init; } = "send-policy";

    public string Key { get; init; } = "cGVlci1rZXktZm9yLXRlc3RzLW9ubHk=";

    /// <summary>The max-message-size the peer sets on each send link's attach; the SDK sizes its batches by it.</summary>
    public ulong MaxMessageSize { get; init; } = 1_048_576;

    /// <summary>Where the partitions' enqueued times come from; tests may pin it.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
