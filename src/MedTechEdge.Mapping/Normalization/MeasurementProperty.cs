namespace MedTechEdge.Mapping.Normalization;

/// <summary>One named value of a measurement, always as a string (medtech-semantics §2.6).</summary>
/// <param name="Name">The template's <c>valueName</c>.</param>
/// <param name="Value">The value converted to a string.</param>
public sealed record MeasurementProperty(string Name, string Value);
