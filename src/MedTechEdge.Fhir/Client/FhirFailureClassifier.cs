namespace MedTechEdge.Fhir.Client;

/// <summary>Maps an HTTP status code to a <see cref="FhirFailureKind"/>.</summary>
internal static class FhirFailureClassifier
{
    /// <summary>Status 0 means no HTTP response at all (connection refused, timeout).</summary>
    public static FhirFailureKind Classify(int statusCode) => statusCode switch
    {
        0 => FhirFailureKind.Transient,
        >= 200 and < 300 or 304 => FhirFailureKind.None,
        401 or 403 => FhirFailureKind.Unauthorized,
        404 or 410 => FhirFailureKind.NotFound,
        // 412: If-Match did not match (FHIR R4 http.html#concurrency), or a conditional
        // create/update matched more than one resource (http.html#cond-update).
        409 or 412 => FhirFailureKind.Conflict,
        408 => FhirFailureKind.Transient,
        429 => FhirFailureKind.Throttled,
        >= 500 => FhirFailureKind.Transient,
        // 400, 422 and the remaining 4xx; also 1xx/3xx, which a FHIR server should not send here.
        _ => FhirFailureKind.Invalid,
    };
}
