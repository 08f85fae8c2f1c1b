namespace MedTechEdge.Storage;

/// <summary>A FHIR resource, ready to persist, with the identity it is written under.</summary>
public sealed class OutboxRecord
{
    /// <summary>Store row id; 0 until committed. Never reused (AUTOINCREMENT), so it orders rows by production.</summary>
    public long Id { get; init; }

    /// <summary>When the Map stage produced it (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>The device it came from; writes are ordered per device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>What the row is: how Persist writes it and what it may reference.</summary>
    public OutboxKind Kind { get; init; }

    /// <summary>FHIR resource type, e.g. <c>Observation</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The deterministic logical id; a replay writes the same id again, never a second resource.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The resource JSON (UTF-8).</summary>
    public required byte[] Body { get; init; }

    /// <summary>
    /// The patient's business id from the measurement (not the FHIR id); null when the mapping gave none. With
    /// <see cref="DeviceId"/> and <see cref="EncounterId"/> it is the identity key the resource was resolved under.
    /// </summary>
    public string? PatientId { get; init; }

    /// <summary>The encounter's business id from the measurement; null when the mapping gave none.</summary>
    public string? EncounterId { get; init; }

    /// <summary>The device time of the resource (an Observation's latest measurement); null for identities and raw messages.</summary>
    public DateTime? DeviceTimeUtc { get; init; }

    /// <summary>
    /// The device message the resource was made from, kept so a resource the server refuses becomes a dead letter
    /// holding that message; null when there is no single one (a SampledData window collects many). Stored once per
    /// message in <c>source_message</c>, however many rows it produced.
    /// </summary>
    public InboxMessage? Source { get; init; }

    /// <summary>The <c>source_message</c> row of <see cref="Source"/>, 0 when none; set when read from the store.</summary>
    public long SourceId { get; init; }
}
