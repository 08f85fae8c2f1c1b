using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>One thing a mapped batch sends on: a resource for the outbox, or a SampledData group for its window.</summary>
internal sealed class MappedRecord
{
    /// <summary>What it is.</summary>
    public required OutboxKind Kind { get; init; }

    /// <summary>The resource; null for a <see cref="OutboxKind.SampledDataWindow"/> until it is merged into its window.</summary>
    public FhirResource? Resource { get; init; }

    /// <summary>The device it belongs to: writes are ordered per device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The patient id the message named (business id), when it named one.</summary>
    public string? PatientId { get; init; }

    /// <summary>The encounter id the message named, when it named one.</summary>
    public string? EncounterId { get; init; }

    /// <summary>The device time of the resource (an Observation's latest measurement, a measurement's time); null for identities and raw messages.</summary>
    public DateTime? DeviceTimeUtc { get; init; }

    /// <summary>The device message it came from; null when it has no single one (an identity resource).</summary>
    public InboxMessage? Source { get; init; }

    /// <summary>The SampledData group of a <see cref="OutboxKind.SampledDataWindow"/>, merged into the window as values, not as JSON.</summary>
    public ObservationGroup? Group { get; init; }

    /// <summary>The references the group's Observation carries (windows only).</summary>
    public ResourceReferences? References { get; init; }

    /// <summary>When the window closes (windows only); <see cref="DateTime.MaxValue"/> when it has no fixed end.</summary>
    public DateTime WindowCloses { get; init; }
}
