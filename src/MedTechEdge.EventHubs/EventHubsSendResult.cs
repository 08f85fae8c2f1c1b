namespace MedTechEdge.EventHubs;

/// <summary>The outcome of a send, with the service's status and words when it failed.</summary>
public readonly record struct EventHubsSendResult(EventHubsSendOutcome Outcome, int StatusCode, string? Error)
{
    /// <summary>All accepted.</summary>
    public static EventHubsSendResult Success { get; } = new(EventHubsSendOutcome.Succeeded, 201, null);
}
