namespace MedTechEdge.Pipeline.Sinks;

/// <summary>Why a record was not written: the kind, which decides what happens next, and the sink's words.</summary>
/// <param name="Kind">What Persist does about it.</param>
/// <param name="Message">The reason, for logs and dead letters (a server's OperationOutcome, an exception's message).</param>
public sealed record SendFailureDetails(SinkFailureKind Kind, string Message)
{
    /// <summary>For <see cref="SinkFailureKind.ReferenceNotFound"/>: the references the server said are missing, e.g. <c>Patient/abc</c>.</summary>
    public IReadOnlyList<string> MissingReferences { get; init; } = [];

    /// <summary>True for the kinds retried with backoff for as long as it takes.</summary>
    public bool WaitsForever => Kind is SinkFailureKind.Transient or SinkFailureKind.Throttled or SinkFailureKind.Unauthorized;
}
