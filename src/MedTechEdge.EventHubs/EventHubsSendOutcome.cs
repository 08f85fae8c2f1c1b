namespace MedTechEdge.EventHubs;

/// <summary>What became of a send.</summary>
public enum EventHubsSendOutcome
{
    /// <summary>Every event was accepted (201).</summary>
    Succeeded,

    /// <summary>Try again later, nothing lost: throttling (429, ServerBusy), 500/503, a timeout, a network failure.</summary>
    Transient,

    /// <summary>
    /// The settings are wrong (401, 403 other than size, 404/410 no such event hub): retrying will not help until an
    /// operator fixes them, but the data is fine and must be kept.
    /// </summary>
    ConfigurationError,

    /// <summary>The events themselves are refused (400, or one event above the publication limit).</summary>
    Rejected,
}
