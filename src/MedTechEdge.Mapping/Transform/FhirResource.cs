namespace MedTechEdge.Mapping.Transform;

/// <summary>A FHIR resource produced by the transform, ready to write with <c>PUT {type}/{id}</c>.</summary>
/// <param name="ResourceType">e.g. <c>Observation</c>.</param>
/// <param name="Id">The deterministic logical id.</param>
/// <param name="Json">The resource as UTF-8 JSON.</param>
public sealed record FhirResource(string ResourceType, string Id, byte[] Json);
