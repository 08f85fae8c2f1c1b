namespace MedTechEdge.Storage;

/// <summary>A message that can never succeed as it is, kept with the reason so it can be fixed and re-queued.</summary>
public sealed class DeadLetter
{
    /// <summary>Store row id; 0 until committed.</summary>
    public long Id { get; init; }

    /// <summary>When it was dead-lettered (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>The stage that gave up: <c>map</c> or <c>persist</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>A stable error name, e.g. <c>InvalidDeviceMessage</c>, <c>NormalizationError</c>, <c>FhirRejected</c>.</summary>
    public required string ErrorKind { get; init; }

    /// <summary>The readable error, naming the place (message field, template, server diagnostics).</summary>
    public required string Error { get; init; }

    /// <summary>The original message (or, from Persist, the rejected resource in <see cref="InboxMessage.Body"/>).</summary>
    public required InboxMessage Message { get; init; }
}
