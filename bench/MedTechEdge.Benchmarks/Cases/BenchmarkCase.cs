namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// One realistic device message with the mappings that project it: what both the engine and the
/// Newtonsoft reference are fed, byte for byte.
/// </summary>
internal sealed class BenchmarkCase
{
    private byte[]? _propertiesUtf8;
    private byte[]? _systemPropertiesUtf8;

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

    /// <summary><see cref="PropertiesJson"/> in UTF-8: the form the inbox stores and the engine reads.</summary>
    public byte[] PropertiesUtf8 => _propertiesUtf8 ??= System.Text.Encoding.UTF8.GetBytes(PropertiesJson);

    /// <summary><see cref="SystemPropertiesJson"/> in UTF-8: the form the inbox stores and the engine reads.</summary>
    public byte[] SystemPropertiesUtf8 => _systemPropertiesUtf8 ??= System.Text.Encoding.UTF8.GetBytes(SystemPropertiesJson);

    /// <summary>How many measurements the message projects (checked in setup).</summary>
    public required int ExpectedMeasurements { get; init; }

    /// <summary>When the module received the message.</summary>
    public DateTime IngestionTimeUtc { get; } = new(2026, 11, 21, 17, 0, 0, 200, DateTimeKind.Utc);

    public override string ToString() => Name;
}
