using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// Lookup and LookupWithEncounter exactly as medtech-compat §8 describes: the Device by identifier (with the
/// optional default system), the Patient from the Device's <c>patient</c> reference (not fetched), the Encounter by
/// identifier (never with a system). The message's patient id is not used in these modes.
/// </summary>
internal sealed partial class LookupIdentityResolver(FhirClient client, IdentityResolutionType mode, string? defaultDeviceSystem)
{
    // medtech-compat §8 Lookup step 2: a relative reference with an id of these characters; the prefix compares case-insensitively.
    [GeneratedRegex(@"^Patient/([A-Za-z0-9_.\-~#]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PatientReference();

    private readonly string? _system = string.IsNullOrWhiteSpace(defaultDeviceSystem) ? null : defaultDeviceSystem;

    /// <summary>Resolves one (device, encounter) key against the server.</summary>
    public async Task<IdentityOutcome> ResolveAsync(string deviceId, string? encounterId, CancellationToken cancellationToken)
    {
        bool hasEncounter = !string.IsNullOrWhiteSpace(encounterId);
        if (mode == IdentityResolutionType.LookupWithEncounter && !hasEncounter)
        {
            return IdentityOutcome.Failed("EncounterIdentityNotDefinedException", "LookupWithEncounter: the device mapping extracted no encounter id.");
        }

        Search device = await FindOneAsync("Device", Token(_system, deviceId), cancellationToken).ConfigureAwait(false);
        if (device.Outcome is { } deviceFailure)
        {
            return deviceFailure;
        }

        if (device.Resource is not JsonElement found)
        {
            return IdentityOutcome.Failed("DeviceNotFoundException", $"No Device with identifier {(_system is null ? string.Empty : _system + "|")}{deviceId}.");
        }

        string? reference = found.TryGetProperty("patient", out JsonElement patient) && patient.ValueKind == JsonValueKind.Object
            && patient.TryGetProperty("reference", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        Match match = PatientReference().Match(reference ?? string.Empty);
        if (!match.Success)
        {
            return IdentityOutcome.Failed("PatientNotFoundException",
                reference is null ? "The Device has no patient reference." : "The Device's patient reference is not a relative Patient/{id} reference.");
        }

        string deviceLogicalId = found.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty;
        if (deviceLogicalId.Length == 0)
        {
            return IdentityOutcome.Failed("DeviceNotFoundException", "The server returned a Device without an id.");
        }

        string? encounterLogicalId = null;
        if (hasEncounter)
        {
            Search encounter = await FindOneAsync("Encounter", Token(null, encounterId!), cancellationToken).ConfigureAwait(false);
            if (encounter.Outcome is { } encounterFailure)
            {
                return encounterFailure;
            }

            if (encounter.Resource is not JsonElement e || !e.TryGetProperty("id", out JsonElement eid) || eid.ValueKind != JsonValueKind.String)
            {
                return IdentityOutcome.Failed("EncounterNotFoundException", $"No Encounter with identifier {encounterId}.");
            }

            encounterLogicalId = eid.GetString();
        }

        return IdentityOutcome.Found(new ResourceReferences(match.Groups[1].Value, deviceLogicalId, encounterLogicalId));
    }

    /// <summary>A search for at most two matches across pages (medtech-compat §8: more than one is an error).</summary>
    private async Task<Search> FindOneAsync(string type, string token, CancellationToken cancellationToken)
    {
        JsonElement? first = null;
        int count = 0;
        await foreach (FhirResponse page in client.SearchPagesAsync(type, "identifier=" + Uri.EscapeDataString(token) + "&_count=2", cancellationToken).ConfigureAwait(false))
        {
            if (!page.IsSuccess)
            {
                return new Search(null, page.FailureKind == FhirFailureKind.Invalid
                    ? IdentityOutcome.Failed("FhirSearchRejected", $"The server refused the {type} search: HTTP {page.StatusCode} {page.Outcome}")
                    : IdentityOutcome.Unavailable($"{type} search failed: {(page.TransportError is { } t ? t.Message : "HTTP " + page.StatusCode)}"));
            }

            if (page.Json is not JsonElement bundle || !bundle.TryGetProperty("entry", out JsonElement entries) || entries.ValueKind != JsonValueKind.Array)
            {
                break;
            }

            foreach (JsonElement entry in entries.EnumerateArray())
            {
                // Only matches: a searchset may also carry an OperationOutcome or included resources (FHIR R4 search.html#mode).
                if (!entry.TryGetProperty("resource", out JsonElement resource) || !IsType(resource, type) || IsNotMatch(entry))
                {
                    continue;
                }

                first ??= resource.Clone();
                if (++count > 1)
                {
                    return new Search(null, IdentityOutcome.Failed($"Multiple{type}FoundException", $"Multiple resources of type {type} found for identifier {token}, expected one."));
                }
            }
        }

        return new Search(first, null);
    }

    private static bool IsType(JsonElement resource, string type) =>
        resource.TryGetProperty("resourceType", out JsonElement t) && t.ValueKind == JsonValueKind.String && t.ValueEquals(type);

    private static bool IsNotMatch(JsonElement entry) =>
        entry.TryGetProperty("search", out JsonElement search) && search.TryGetProperty("mode", out JsonElement m)
        && m.ValueKind == JsonValueKind.String && !m.ValueEquals("match");

    /// <summary>A token search value, <c>[system|]code</c>, with FHIR's escapes for the characters search gives meaning to (FHIR R4 search.html#escaping).</summary>
    private static string Token(string? system, string value)
    {
        var text = new StringBuilder();
        if (system is not null)
        {
            Escape(text, system);
            text.Append('|');
        }

        Escape(text, value);
        return text.ToString();
    }

    private static void Escape(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            if (c is '\\' or '|' or ',' or '$')
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }

    private readonly record struct Search(JsonElement? Resource, IdentityOutcome? Outcome);
}
