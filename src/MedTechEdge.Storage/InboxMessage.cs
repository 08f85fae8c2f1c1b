namespace MedTechEdge.Storage;

/// <summary>
/// A raw device message as received, before any mapping. Properties are kept as JSON object text so
/// that the mapping envelope <c>{Body, Properties, SystemProperties}</c> can be composed without re-encoding.
/// </summary>
public sealed class InboxMessage
{
    /// <summary>Store row id; 0 until committed.</summary>
    public long Id { get; init; }

    /// <summary>When the module received it (UTC); becomes the measurement's ingestion time.</summary>
    public DateTime ReceivedUtc { get; init; }

    /// <summary>The ingress that took it in: <c>mqtt</c>, <c>route</c>, <c>replay</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The device id the ingress derived (topic segment or client id), if any.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The MQTT topic or IoT Edge input name, if any.</summary>
    public string? Topic { get; init; }

    /// <summary>Application properties as a JSON object text.</summary>
    public string PropertiesJson { get; init; } = "{}";

    /// <summary>Broker (system) properties as a JSON object text.</summary>
    public string SystemPropertiesJson { get; init; } = "{}";

    /// <summary>The body bytes exactly as received.</summary>
    public required byte[] Body { get; init; }
}
