namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Why a sink did not write a record, and so what Persist does about it (the taxonomy of edgeHub's <c>FailureKind</c>):
/// the first four wait and retry for as long as it takes; the others end in a dead letter unless a repair helps.
/// </summary>
public enum SinkFailureKind
{
    /// <summary>Outage, timeout, 5xx, a version race (412): retry with backoff, forever; the data waits.</summary>
    Transient,

    /// <summary>429 Too Many Requests: retry with backoff, forever.</summary>
    Throttled,

    /// <summary>401/403, or no access token: retry with backoff, forever, while an operator fixes the credentials.</summary>
    Unauthorized,

    /// <summary>Not sent because a record before it in the batch failed; it is sent again after that one, in order.</summary>
    NotAttempted,

    /// <summary>400/422: the same content will never be accepted. A <c>FhirRejected</c> dead letter.</summary>
    InvalidInput,

    /// <summary>
    /// Refused because a Patient, Device or Encounter it references does not exist on the server (restored, emptied,
    /// replaced): its identity is resolved again and it is retried; a <c>ReferenceNotFound</c> dead letter if that fails too.
    /// </summary>
    ReferenceNotFound,

    /// <summary>An exception the sink did not expect: a bounded number of retries, then a <c>SinkError</c> dead letter.</summary>
    Unexpected,
}
