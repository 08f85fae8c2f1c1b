namespace MedTechEdge.Storage;

/// <summary>A message that can never succeed as it is, kept with the reason so it can be fixed and re-queued.</summary>
public sealed class DeadLetter
{
    /// <summary>Store row id; 0 until committed.</summary>
    public long Id { get; init; }

    /// <summary>When it was dead-lettered (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>The stage that gave up.</summary>
    public required PipelineStage Stage { get; init; }

    /// <summary>Why.</summary>
    public required DeadLetterKind Kind { get; init; }

    /// <summary>The stored name of <see cref="Kind"/>, e.g. <c>InvalidDeviceMessage</c>, <c>PatientDeviceMismatchException</c>.</summary>
    public string KindName => DeadLetterKinds.Name(Kind);

    /// <summary>The stored name of <see cref="Stage"/>: <c>map</c>, <c>persist</c>, ...</summary>
    public string StageName => PipelineStages.Name(Stage);

    /// <summary>The readable error, naming the place (message field, template, server diagnostics).</summary>
    public required string Error { get; init; }

    /// <summary>The original message (or, from Persist, the rejected resource in <see cref="InboxMessage.Body"/>).</summary>
    public required InboxMessage Message { get; init; }
}
