using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Lookup-mode identity resolution for callers outside the pipeline (the mapping debugger): the same resolver the Map
/// stage uses, without its cache, so a debugger answer is what Persist would get for the same key. It only reads:
/// the Lookup modes never write (docs/medtech-semantics.md §6.1).
/// </summary>
public sealed class IdentityLookup
{
    private readonly LookupIdentityResolver _resolver;

    /// <param name="client">The FHIR server to search.</param>
    /// <param name="mode"><see cref="IdentityResolutionType.Lookup"/> or <see cref="IdentityResolutionType.LookupWithEncounter"/>.</param>
    /// <param name="defaultDeviceSystem">The system of Device identifiers (<c>Pipeline:DefaultDeviceIdentifierSystem</c>); blank for none.</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is Create, which writes.</exception>
    public IdentityLookup(FhirClient client, IdentityResolutionType mode, string? defaultDeviceSystem)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (mode == IdentityResolutionType.Create)
        {
            throw new ArgumentException("Create mode writes Patients and Devices; only the Lookup modes can be resolved read-only.", nameof(mode));
        }

        _resolver = new LookupIdentityResolver(client, mode, defaultDeviceSystem);
    }

    /// <summary>The references for one (device, patient, encounter) key, or why there are none.</summary>
    public async Task<IdentityLookupResult> ResolveAsync(string deviceId, string? patientId, string? encounterId, CancellationToken cancellationToken)
    {
        IdentityOutcome outcome = await _resolver.ResolveAsync(deviceId, patientId, encounterId, cancellationToken).ConfigureAwait(false);
        return new IdentityLookupResult(outcome.References, outcome.ErrorKind, outcome.Error, outcome.IsTransient);
    }

    /// <summary>
    /// The requests resolution makes for a key, in order, as <c>GET</c> lines relative to the FHIR base, with the
    /// same identifier tokens (system and escapes) as the searches themselves.
    /// </summary>
    public static IReadOnlyList<string> Requests(IdentityResolutionType mode, string? defaultDeviceSystem, string deviceId, string? patientId, string? encounterId)
    {
        string? system = string.IsNullOrWhiteSpace(defaultDeviceSystem) ? null : defaultDeviceSystem;
        var requests = new List<string>();
        if (mode == IdentityResolutionType.Create)
        {
            return requests;
        }

        requests.Add("GET " + IdentitySearch.Query("Device", system, deviceId));
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            // Only when the Device's patient reference is not the message's patient id itself (§6.1 step 4).
            requests.Add("GET Patient/{id from the Device's patient reference}");
        }

        if (!string.IsNullOrWhiteSpace(encounterId))
        {
            requests.Add("GET " + IdentitySearch.Query("Encounter", null, encounterId));
        }

        return requests;
    }
}

/// <summary>What <see cref="IdentityLookup"/> found: references, or a permanent error (the dead letter's kind), or a transient one.</summary>
public readonly record struct IdentityLookupResult(ResourceReferences? References, DeadLetterKind? ErrorKind, string? Error, bool IsTransient);
