namespace MedTechEdge.Fhir.Client;

/// <summary>
/// One <c>Bundle.entry.response</c> of a transaction-response or batch-response
/// (FHIR R4 bundle-definitions.html#Bundle.entry.response), in request order.
/// </summary>
public sealed class FhirBundleEntryResponse
{
    internal FhirBundleEntryResponse(string? status, string? location, string? etag, string? lastModified, FhirOperationOutcome? outcome)
    {
        StatusText = status ?? "";
        StatusCode = ParseStatusCode(status);
        Location = location;
        ETag = etag;
        LastModified = lastModified;
        Outcome = outcome;
    }

    /// <summary>The status code at the start of <c>response.status</c> (e.g. 201 from "201 Created"); 0 if absent or unreadable.</summary>
    public int StatusCode { get; }

    /// <summary><c>response.status</c> as sent, e.g. "201 Created" or "201".</summary>
    public string StatusText { get; }

    /// <summary>Classification of <see cref="StatusCode"/>, as for a whole response.</summary>
    public FhirFailureKind FailureKind => FhirFailureClassifier.Classify(StatusCode);

    /// <summary><c>response.location</c>, typically <c>Type/id/_history/vid</c>; null if absent.</summary>
    public string? Location { get; }

    /// <summary><c>response.etag</c>, e.g. <c>W/"3"</c>; null if absent.</summary>
    public string? ETag { get; }

    /// <summary>The version id inside <see cref="ETag"/>; null if absent.</summary>
    public string? VersionId => FhirETag.ToVersionId(ETag);

    /// <summary><c>response.lastModified</c> as sent (a FHIR instant); null if absent.</summary>
    public string? LastModified { get; }

    /// <summary><c>response.outcome</c>, if the server included one (batch failures usually do).</summary>
    public FhirOperationOutcome? Outcome { get; }

    /// <summary>
    /// <c>entry.resource</c> as UTF-8 JSON, a view of the response body (not copied): for a batch's <c>GET</c> entry the
    /// resource read; empty when the entry has none.
    /// </summary>
    public ReadOnlyMemory<byte> Resource { get; internal init; }

    /// <summary>For example <c>201 Observation/1/_history/1</c>.</summary>
    public override string ToString() => Outcome is null ? $"{StatusText} {Location}" : $"{StatusText} {Outcome}";

    private static int ParseStatusCode(string? status)
    {
        if (status is null || status.Length < 3)
        {
            return 0;
        }

        int code = 0;
        for (int i = 0; i < 3; i++)
        {
            int digit = status[i] - '0';
            if ((uint)digit > 9)
            {
                return 0;
            }

            code = (code * 10) + digit;
        }

        return status.Length == 3 || status[3] == ' ' ? code : 0;
    }
}
