namespace MedTechEdge.Pipeline.Sinks;

/// <summary>How a batch write ended.</summary>
public enum SinkOutcome
{
    /// <summary>Everything was written.</summary>
    Succeeded,

    /// <summary>Nothing was written, and trying again later may work (outage, timeout, 429, 5xx).</summary>
    Transient,

    /// <summary>Nothing was written, and the same content will never be accepted (400, 422).</summary>
    Rejected,
}

/// <summary>The outcome of a batch write, with the server's reason when it failed.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">The reason, for logs and dead letters; null on success.</param>
public sealed record SinkResult(SinkOutcome Outcome, string? Error = null)
{
    /// <summary>The shared success result.</summary>
    public static SinkResult Success { get; } = new(SinkOutcome.Succeeded);

    /// <summary>On success from a FHIR server: how many resources it created, updated or left unchanged; null when the sink cannot tell.</summary>
    public SinkSaveCounts? Saved { get; init; }
}

/// <summary>What a FHIR server did with a batch, from its transaction-response (FHIR R4 Bundle.entry.response.status).</summary>
/// <param name="Created">Entries answered 201.</param>
/// <param name="Updated">Entries answered 200 (or another 2xx).</param>
/// <param name="Unchanged">Records not sent because they added nothing to the server's copy (the service's no-op).</param>
public readonly record struct SinkSaveCounts(int Created, int Updated, int Unchanged);
