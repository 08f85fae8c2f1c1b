using System.Text.RegularExpressions;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Reads from a refusal the Patient, Device or Encounter references the server says do not exist. FHIR R4 gives no
/// issue code for it (servers answer 400 <c>invalid</c>, 404 or 422 <c>processing</c>), so the issue text is read:
/// Medplum says <c>Reference target not found: Patient/x</c>, HAPI <c>Resource Patient/x not found, specified in path:
/// Observation.subject</c>. Only the identity types count: those are the references the module can resolve again.
/// </summary>
internal static partial class MissingReferences
{
    /// <summary>The missing identity references named by <paramref name="outcome"/>; empty when it names none.</summary>
    public static IReadOnlyList<string> Read(FhirOperationOutcome? outcome)
    {
        if (outcome is null)
        {
            return [];
        }

        List<string>? found = null;
        foreach (FhirOutcomeIssue issue in outcome.Issues)
        {
            if (issue.Diagnostics is not { } text || !text.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (Match match in IdentityReference().Matches(text))
            {
                found ??= [];
                if (!found.Contains(match.Value))
                {
                    found.Add(match.Value);
                }
            }
        }

        return found is null ? [] : found;
    }

    // FHIR R4 references.html#literal: Type/id, the id 1-64 of [A-Za-z0-9\-\.].
    [GeneratedRegex(@"\b(?:Patient|Device|Encounter)/[A-Za-z0-9\-\.]{1,64}", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityReference();
}
