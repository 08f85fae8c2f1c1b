namespace MedTechEdge.Mapping.Templates;

/// <summary>A coding from a FHIR template (<c>codes[]</c> items).</summary>
internal sealed record FhirCode(string? Code, string? System, string? Display);

/// <summary>A CodeableConcept from a FHIR template (<c>category[]</c> items, CodeableConcept values).</summary>
internal sealed record FhirConcept(string? Text, IReadOnlyList<FhirCode> Codes);
