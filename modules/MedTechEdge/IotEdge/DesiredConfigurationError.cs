namespace MedTechEdge.IotEdge;

/// <summary>
/// Why desired properties were refused: the place (<c>configuration.Fhir.Url</c>, <c>mappings.device</c>), and for a
/// mapping the line and position inside it (1-based, 0 when the error is not tied to a place in the text).
/// </summary>
internal sealed record DesiredConfigurationError(string Place, string Message, int Line = 0, int Position = 0)
{
    public override string ToString() => Line > 0 ? $"{Place} line {Line} position {Position}: {Message}" : $"{Place}: {Message}";
}
