namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// A normalized message: one measurement projected from a device message by a device mapping
/// (medtech-semantics §3). Written as camelCase JSON, read in either casing.
/// </summary>
public sealed class Measurement
{
    /// <summary>The device-mapping <c>typeName</c>; selects the FHIR template.</summary>
    public required string Type { get; init; }

    /// <summary>When the measurement was taken (UTC).</summary>
    public required DateTime OccurrenceTimeUtc { get; init; }

    /// <summary>When the module received the device message (UTC).</summary>
    public DateTime? IngestionTimeUtc { get; init; }

    /// <summary>The device's business identifier.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The patient's business identifier, if the mapping extracts one.</summary>
    public string? PatientId { get; init; }

    /// <summary>The encounter's business identifier, if the mapping extracts one.</summary>
    public string? EncounterId { get; init; }

    /// <summary>The correlation id, if the mapping extracts one.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The extracted values, in template order.</summary>
    public List<MeasurementProperty> Properties { get; } = [];
}
