namespace MedTechEdge.Storage;

/// <summary>A FHIR resource, ready to persist, with the identity it is written under.</summary>
public sealed class OutboxRecord
{
    /// <summary>Store row id; 0 until committed.</summary>
    public long Id { get; init; }

    /// <summary>When the Map stage produced it (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>The device it came from; writes are ordered per device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>FHIR resource type, e.g. <c>Observation</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The deterministic logical id; a replay writes the same id again, never a second resource.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The resource JSON (UTF-8).</summary>
    public required byte[] Body { get; init; }

    /// <summary>
    /// The device message the resource was made from, kept so a resource the server refuses becomes a dead letter
    /// holding that message; null when there is no single one (a SampledData window collects many).
    /// </summary>
    public InboxMessage? Source { get; init; }
}
