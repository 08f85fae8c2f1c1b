namespace MedTechEdge.Fhir.Client;

/// <summary>
/// What a caller should do about a FHIR response: the same taxonomy the module's outbox uses
/// for every sink (retry, back off, alert, or dead-letter).
/// </summary>
public enum FhirFailureKind
{
    /// <summary>Success (2xx, or 304 for a conditional read).</summary>
    None = 0,

    /// <summary>Worth retrying as is: no connection, timeout, 408 or 5xx.</summary>
    Transient,

    /// <summary>429 Too Many Requests: retry after <see cref="FhirResponse.RetryAfter"/>, if given.</summary>
    Throttled,

    /// <summary>401 or 403: credentials are missing, expired or lack permission. Retrying will not help.</summary>
    Unauthorized,

    /// <summary>
    /// 409 Conflict or 412 Precondition Failed: a version conflict (stale If-Match) or a conditional
    /// operation matching several resources. Re-read and retry, or resolve by hand.
    /// </summary>
    Conflict,

    /// <summary>404 Not Found or 410 Gone.</summary>
    NotFound,

    /// <summary>400, 422 or any other 4xx: the request itself is wrong and will never succeed.</summary>
    Invalid,
}
