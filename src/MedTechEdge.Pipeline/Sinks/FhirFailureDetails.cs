using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// What a FHIR server's refusal means for the outbox: the same classification for a whole response and for one entry
/// of a batch-response, so a read inside a batch fails exactly as the same read on its own would.
/// </summary>
internal static class FhirFailureDetails
{
    public static SendFailureDetails From(FhirResponse response) =>
        From(response.FailureKind, response.Outcome, response.TransportError is { } transport
            ? $"{response.FailureKind}: {transport.Message}"
            : Describe(response.StatusCode, response.FailureKind, response.Outcome));

    /// <summary>One entry of a batch-response (FHIR R4 http.html#transaction-response: each entry has its own status and outcome).</summary>
    public static SendFailureDetails From(FhirBundleEntryResponse entry) =>
        From(entry.FailureKind, entry.Outcome, Describe(entry.StatusCode, entry.FailureKind, entry.Outcome));

    private static string Describe(int status, FhirFailureKind kind, FhirOperationOutcome? outcome) =>
        $"HTTP {status} {kind}: {outcome?.ToString() ?? "no OperationOutcome"}";

    private static SendFailureDetails From(FhirFailureKind kind, FhirOperationOutcome? outcome, string message)
    {
        switch (kind)
        {
            case FhirFailureKind.Invalid or FhirFailureKind.NotFound:
                IReadOnlyList<string> missing = MissingReferences.Read(outcome);
                if (missing.Count > 0)
                {
                    return new SendFailureDetails(SinkFailureKind.ReferenceNotFound, message) { MissingReferences = missing };
                }

                // 404 without a missing reference: a misrouted base URL, fixed by an operator; the data waits.
                return new SendFailureDetails(kind == FhirFailureKind.Invalid ? SinkFailureKind.InvalidInput : SinkFailureKind.Transient, message);
            case FhirFailureKind.Throttled:
                return new SendFailureDetails(SinkFailureKind.Throttled, message);
            case FhirFailureKind.Unauthorized:
                return new SendFailureDetails(SinkFailureKind.Unauthorized, message);
            default:
                // Outages, 5xx, version races (412 on a stale If-Match): the data is fine and stays in the outbox.
                return new SendFailureDetails(SinkFailureKind.Transient, message);
        }
    }
}
