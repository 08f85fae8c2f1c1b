namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// One realistic device message with the mappings that project it: what both the engine and the
/// Newtonsoft reference are fed, byte for byte.
/// </summary>
internal sealed class BenchmarkCase
{
    /// <summary>The BenchmarkDotNet parameter value, e.g. <c>single-vital</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The device mapping (a CollectionContent).</summary>
    public required string DeviceMappingJson { get; init; }

    /// <summary>The FHIR destination mapping (a CollectionFhir).</summary>
    public required string FhirMappingJson { get; init; }

    /// <summary>The message body as received (UTF-8 JSON).</summary>
    public required byte[] Body { get; init; }

    /// <summary>Application properties as the ingress writes them.</summary>
    public required string PropertiesJson { get; init; }

    /// <summary>Broker properties as the ingress writes them.</summary>
    public required string SystemPropertiesJson { get; init; }

    /// <summary>How many measurements the message projects (checked in setup).</summary>
    public required int ExpectedMeasurements { get; init; }

    /// <summary>When the module received the message.</summary>
    public DateTime IngestionTimeUtc { get; } = new(2026, 11, 21, 17, 0, 0, 200, DateTimeKind.Utc);

    public override string ToString() => Name;
}
