namespace MedTechEdge.TestPeers;

/// <summary>What <see cref="FhirRecordingProxy"/> does with a request instead of forwarding it.</summary>
public enum FhirFault
{
    /// <summary>Forwards it to the FHIR server.</summary>
    None,

    /// <summary>Drops the connection without an answer, as a server that went away (the client sees a reset).</summary>
    DropConnection,

    /// <summary>503 Service Unavailable with an OperationOutcome.</summary>
    ServiceUnavailable,

    /// <summary>429 Too Many Requests with <c>Retry-After: 1</c>.</summary>
    TooManyRequests,

    /// <summary>
    /// 429 Too Many Requests with <c>Retry-After</c> as an HTTP-date, <see cref="FhirRecordingProxy.RetryAfterDate"/>
    /// (RFC 9110 §10.2.3): a client turns it into a wait with its own clock.
    /// </summary>
    TooManyRequestsUntilDate,
}
