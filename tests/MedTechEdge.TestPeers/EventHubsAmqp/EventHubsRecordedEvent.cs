namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// One event as the peer stored it: where it landed, the system values it was given, and what the sender set.
/// <see cref="Annotations"/> are the message annotations it arrived with (IoT Hub's <c>iothub-*</c> ones, say), minus
/// those the peer stamps itself; receivers get them back.
/// </summary>
public sealed record EventHubsRecordedEvent(
    string PartitionId,
    long SequenceNumber,
    long Offset,
    DateTimeOffset EnqueuedTime,
    string? PartitionKey,
    byte[] Body,
    string? ContentType,
    IReadOnlyDictionary<string, object?> Properties,
    IReadOnlyDictionary<string, object?> Annotations);
