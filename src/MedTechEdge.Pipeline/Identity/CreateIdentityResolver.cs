using MedTechEdge.Storage;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Create mode with a FHIR server to ask (medtech-semantics §6 Create): the Patient by identifier, else a new one with the
/// deterministic id; the Device by identifier, else a new one linked to the Patient; a Device without a patient is
/// linked; a Device linked to another patient is an error (<c>PatientDeviceMismatchException</c>); an encounter id,
/// when given, must match an Encounter. New and linked resources are written ahead of the Observations that use them.
/// </summary>
internal sealed class CreateIdentityResolver(FhirClient client, string? defaultDeviceSystem) : IIdentityResolver
{
    private readonly string? _system = string.IsNullOrWhiteSpace(defaultDeviceSystem) ? null : defaultDeviceSystem;

    public async Task<IdentityOutcome> ResolveAsync(string deviceId, string? patientId, string? encounterId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(patientId))
        {
            return IdentityOutcome.Failed(DeadLetterKind.PatientIdentityNotDefined, "Create mode: the device mapping extracted no patient id.");
        }

        var emit = new List<FhirResource>(2);
        (JsonElement? patient, IdentityOutcome? patientFailure) = await IdentitySearch.FindOneAsync(client, "Patient", null, patientId, cancellationToken).ConfigureAwait(false);
        if (patientFailure is { } noPatient)
        {
            return noPatient;
        }

        string patientLogicalId;
        if (patient is JsonElement p && IdentitySearch.Id(p) is string existingPatient)
        {
            patientLogicalId = existingPatient;
        }
        else
        {
            patientLogicalId = DeterministicId.ForPatient(patientId);
            emit.Add(IdentityResources.Patient(patientLogicalId, patientId));
        }

        (JsonElement? device, IdentityOutcome? deviceFailure) = await IdentitySearch.FindOneAsync(client, "Device", _system, deviceId, cancellationToken).ConfigureAwait(false);
        if (deviceFailure is { } noDevice)
        {
            return noDevice;
        }

        string deviceLogicalId;
        if (device is JsonElement d && IdentitySearch.Id(d) is string existingDevice)
        {
            deviceLogicalId = existingDevice;
            string? linked = IdentitySearch.PatientOf(d, out string? reference);
            if (linked is null && reference is null)
            {
                // Not linked yet: link it, keeping everything else the server holds.
                emit.Add(Linked(d, existingDevice, patientLogicalId));
            }
            else if (!string.Equals(linked, patientLogicalId, StringComparison.Ordinal))
            {
                return IdentityOutcome.Failed(DeadLetterKind.PatientDeviceMismatch, "The Device is linked to another patient than the one in the message.");
            }
        }
        else
        {
            deviceLogicalId = DeterministicId.ForDevice(deviceId, _system);
            emit.Add(IdentityResources.Device(deviceLogicalId, deviceId, _system, patientLogicalId));
        }

        string? encounterLogicalId = null;
        if (!string.IsNullOrWhiteSpace(encounterId))
        {
            IdentityOutcome? encounterFailure;
            (encounterLogicalId, encounterFailure) = await LookupIdentityResolver.FindEncounterAsync(client, encounterId, cancellationToken).ConfigureAwait(false);
            if (encounterFailure is { } noEncounter)
            {
                return noEncounter;
            }
        }

        return IdentityOutcome.Found(new ResourceReferences(patientLogicalId, deviceLogicalId, encounterLogicalId), emit);
    }

    private static FhirResource Linked(JsonElement device, string id, string patientLogicalId)
    {
        JsonObject copy = JsonNode.Parse(device.GetRawText())!.AsObject();
        // The server owns meta (FHIR R4 resource.html#Meta); a PUT without it is a plain update.
        copy.Remove("meta");
        copy["patient"] = new JsonObject { ["reference"] = "Patient/" + patientLogicalId };
        return new FhirResource("Device", id, JsonNodeBytes.ToUtf8(copy));
    }
}
