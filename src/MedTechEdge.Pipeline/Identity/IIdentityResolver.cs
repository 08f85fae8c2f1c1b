namespace MedTechEdge.Pipeline.Identity;

/// <summary>Resolves a (device, patient, encounter) key against the FHIR server.</summary>
internal interface IIdentityResolver
{
    /// <summary>The references for the key, a permanent error, or a transient one.</summary>
    Task<IdentityOutcome> ResolveAsync(string deviceId, string? patientId, string? encounterId, CancellationToken cancellationToken);
}
