using MedTechEdge.Storage;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Lookup and LookupWithEncounter exactly as medtech-semantics §6 describes: the Device by identifier (with the
/// optional default system), the Patient from the Device's <c>patient</c> reference (not fetched), the Encounter by
/// identifier (never with a system). The service ignores the message's patient id in these modes; this module checks
/// it when the mapping extracts one: the Device's Patient must be that patient (its id, or one of its identifiers),
/// otherwise the message is a <c>PatientDeviceMismatchException</c>, so a device cannot write into another patient's
/// record by naming it. A mapping without <c>patientIdExpression</c> (the usual Lookup mapping) is not affected.
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

        if (!string.IsNullOrWhiteSpace(patientId) && await CheckPatientAsync(patientLogicalId, patientId, cancellationToken).ConfigureAwait(false) is { } wrongPatient)
        {
            return wrongPatient;
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

    /// <summary>Null when the Device's Patient is the one the message names (by id or identifier value); otherwise the outcome.</summary>
    private async Task<IdentityOutcome?> CheckPatientAsync(string linkedId, string patientId, CancellationToken cancellationToken)
    {
        if (string.Equals(linkedId, patientId, StringComparison.Ordinal))
        {
            return null;
        }

        FhirResponse patient = await client.ReadAsync("Patient", linkedId, cancellationToken).ConfigureAwait(false);
        if (patient.FailureKind == FhirFailureKind.NotFound)
        {
            return IdentityOutcome.Failed(DeadLetterKind.PatientNotFound, "The Device's Patient does not exist on the server.");
        }

        if (!patient.IsSuccess || patient.Json is not JsonElement resource)
        {
            return IdentityOutcome.Unavailable($"Patient read failed: {(patient.TransportError is { } t ? t.Message : "HTTP " + patient.StatusCode)}");
        }

        if (resource.TryGetProperty("identifier", out JsonElement identifiers) && identifiers.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement identifier in identifiers.EnumerateArray())
            {
                if (identifier.ValueKind == JsonValueKind.Object && identifier.TryGetProperty("value", out JsonElement value)
                    && value.ValueKind == JsonValueKind.String && value.ValueEquals(patientId))
                {
                    return null;
                }
            }
        }

        return IdentityOutcome.Failed(DeadLetterKind.PatientDeviceMismatch, "The Device is linked to another patient than the one in the message.");
    }

    /// <summary>The Encounter by identifier, never with a system (medtech-semantics §6 Lookup step 3).</summary>
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
