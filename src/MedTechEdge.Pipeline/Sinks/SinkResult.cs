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
}
