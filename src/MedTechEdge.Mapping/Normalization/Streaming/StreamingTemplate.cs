namespace MedTechEdge.Mapping.Normalization.Streaming;

/// <summary>
/// A device template as a streaming plan runs it: the body matches when every filter member is on its top level.
/// A guard is a template the plan cannot evaluate but can prove matches nothing: when it may match, the plan
/// declines the message.
/// </summary>
internal sealed class StreamingTemplate
{
    public required string TypeName { get; init; }

    /// <summary>The slots of the type match's <c>@name</c> tests (a guard's: the members it needs), all of which must be found.</summary>
    public required int[] FilterSlots { get; init; }

    /// <summary>Shared by templates whose header expressions are the same text; null for a guard.</summary>
    public StreamingHeader? Header { get; init; }

    public StreamingValue[] Values { get; init; } = [];

    public bool IsGuard => Header is null;
}

/// <summary>The header expressions of a template (medtech-semantics §3.3 step 3), in the order they are extracted.</summary>
internal sealed class StreamingHeader
{
    public required StreamingField DeviceId { get; init; }

    /// <summary>Candidates in order; the first that yields a usable time wins.</summary>
    public required StreamingField[] Timestamps { get; init; }

    public StreamingField? CorrelationId { get; init; }

    public StreamingField? PatientId { get; init; }

    public StreamingField? EncounterId { get; init; }

    /// <summary>The texts of the expressions, which say whether two templates extract the same header.</summary>
    public required string Key { get; init; }
}

/// <summary>One entry of a template's <c>values</c>.</summary>
internal sealed class StreamingValue
{
    public required string ValueName { get; init; }

    public required bool Required { get; init; }

    public required StreamingField Field { get; init; }
}
