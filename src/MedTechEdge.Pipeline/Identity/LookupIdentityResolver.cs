using MedTechEdge.Storage;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Lookup and LookupWithEncounter exactly as medtech-compat §8 describes: the Device by identifier (with the
/// optional default system), the Patient from the Device's <c>patient</c> reference (not fetched), the Encounter by
/// identifier (never with a system). The message's patient id is not used in these modes.
/// </summary>
internal sealed class LookupIdentityResolver(FhirClient client, IdentityResolutionType mode, string? defaultDeviceSystem) : IIdentityResolver
{
    private readonly string? _system = string.IsNullOrWhiteSpace(defaultDeviceSystem) ? null : defaultDeviceSystem;

    public async Task<IdentityOutcome> ResolveAsync(string deviceId, string? patientId, string? encounterId, CancellationToken cancellationToken)
    {
        bool hasEncounter = !string.IsNullOrWhiteSpace(encounterId);
        if (mode == IdentityResolutionType.LookupWithEncounter && !hasEncounter)
        {
            return IdentityOutcome.Failed(DeadLetterKind.EncounterIdentityNotDefined, "LookupWithEncounter: the device mapping extracted no encounter id.");
        }

        (JsonElement? device, IdentityOutcome? deviceFailure) = await IdentitySearch.FindOneAsync(client, "Device", _system, deviceId, cancellationToken).ConfigureAwait(false);
        if (deviceFailure is { } failed)
        {
            return failed;
        }

        if (device is not JsonElement found || IdentitySearch.Id(found) is not string deviceLogicalId)
        {
            return IdentityOutcome.Failed(DeadLetterKind.DeviceNotFound, $"No Device with identifier {(_system is null ? string.Empty : _system + "|")}{deviceId}.");
        }

        if (IdentitySearch.PatientOf(found, out string? reference) is not string patientLogicalId)
        {
            return IdentityOutcome.Failed(DeadLetterKind.PatientNotFound,
                reference is null ? "The Device has no patient reference." : "The Device's patient reference is not a relative Patient/{id} reference.");
        }

        string? encounterLogicalId = null;
        if (hasEncounter)
        {
            IdentityOutcome? encounterFailure;
            (encounterLogicalId, encounterFailure) = await FindEncounterAsync(client, encounterId!, cancellationToken).ConfigureAwait(false);
            if (encounterFailure is { } noEncounter)
            {
                return noEncounter;
            }
        }

        return IdentityOutcome.Found(new ResourceReferences(patientLogicalId, deviceLogicalId, encounterLogicalId));
    }

    /// <summary>The Encounter by identifier, never with a system (medtech-compat §8 Lookup step 3).</summary>
    internal static async Task<(string? Id, IdentityOutcome? Outcome)> FindEncounterAsync(FhirClient client, string encounterId, CancellationToken cancellationToken)
    {
        (JsonElement? encounter, IdentityOutcome? failure) = await IdentitySearch.FindOneAsync(client, "Encounter", null, encounterId, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (null, failure);
        }

        return encounter is JsonElement e && IdentitySearch.Id(e) is string id
            ? (id, null)
            : (null, IdentityOutcome.Failed(DeadLetterKind.EncounterNotFound, $"No Encounter with identifier {encounterId}."));
    }
}
