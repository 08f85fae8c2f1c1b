namespace MedTechEdge.Mapping.Transform;

/// <summary>The FHIR logical ids an Observation refers to, as resolved by identity resolution.</summary>
/// <param name="PatientId">Logical id of the Patient.</param>
/// <param name="DeviceId">Logical id of the Device.</param>
/// <param name="EncounterId">Logical id of the Encounter, if any.</param>
public sealed record ResourceReferences(string PatientId, string DeviceId, string? EncounterId = null);
