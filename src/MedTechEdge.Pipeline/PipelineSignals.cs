using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline;

/// <summary>The wake-ups between stages: one per table that a stage drains.</summary>
public sealed class PipelineSignals
{
    /// <summary>Set by Ingest after an inbox commit; wakes Map.</summary>
    public WorkSignal Inbox { get; } = new();

    /// <summary>Set by Map after an outbox commit; wakes Persist.</summary>
    public WorkSignal Outbox { get; } = new();
}
