using MedTechEdge.Storage;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>The identifier searches of identity resolution (medtech-semantics §6), shared by Lookup and Create.</summary>
internal static partial class IdentitySearch
{
    // medtech-semantics §6 Lookup step 2: a relative reference with an id of these characters; the prefix compares case-insensitively.
    [GeneratedRegex(@"^Patient/([A-Za-z0-9_.\-~#]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PatientReference();

    /// <summary>One resource of <paramref name="type"/> with the identifier, or none, or an outcome (several, or a failed search).</summary>
    public static async Task<(JsonElement? Resource, IdentityOutcome? Outcome)> FindOneAsync(FhirClient client, string type, string? system, string value, CancellationToken cancellationToken)
    {
        string token = Token(system, value);
        JsonElement? first = null;
        int count = 0;
        // At most two matches across pages: more than one is an error (medtech-semantics §6).
        await foreach (FhirResponse page in client.SearchPagesAsync(type, Parameters(token), cancellationToken).ConfigureAwait(false))
        {
            if (!page.IsSuccess)
            {
                return (null, page.FailureKind == FhirFailureKind.Invalid
                    ? IdentityOutcome.Failed(DeadLetterKind.FhirSearchRejected, $"The server refused the {type} search: HTTP {page.StatusCode} {page.Outcome}")
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
                    return (null, IdentityOutcome.Failed(type switch { "Patient" => DeadLetterKind.MultiplePatientFound, "Encounter" => DeadLetterKind.MultipleEncounterFound, _ => DeadLetterKind.MultipleDeviceFound }, $"Multiple resources of type {type} found for identifier {token}, expected one."));
                }
            }
        }

        return (first, null);
    }

    /// <summary>The search as it goes to the server, relative to the base: <c>Device?identifier=sys%7Cdev-1&amp;_count=2</c>.</summary>
    public static string Query(string type, string? system, string value) => type + "?" + Parameters(Token(system, value));

    private static string Parameters(string token) => "identifier=" + Uri.EscapeDataString(token) + "&_count=2";

    /// <summary>The logical id of a resource from the server, or null.</summary>
    public static string? Id(JsonElement resource) =>
        resource.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>The Patient id of a Device's <c>patient</c> reference; <paramref name="reference"/> is the raw reference, if any.</summary>
    public static string? PatientOf(JsonElement device, out string? reference)
    {
        reference = device.TryGetProperty("patient", out JsonElement patient) && patient.ValueKind == JsonValueKind.Object
            && patient.TryGetProperty("reference", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        Match match = PatientReference().Match(reference ?? string.Empty);
        return match.Success ? match.Groups[1].Value : null;
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
}
