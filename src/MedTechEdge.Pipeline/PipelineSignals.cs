using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline;

/// <summary>The wake-ups between stages: one per table that a stage drains.</summary>
public sealed class PipelineSignals
{
    /// <summary>Set by Ingest after an inbox commit; wakes Map.</summary>
    public WorkSignal Inbox { get; } = new();

    /// <summary>Set by Map after an outbox commit; wakes Persist.</summary>
    public WorkSignal Outbox { get; } = new();

    private TaskCompletionSource<int>? _flush;

    /// <summary>
    /// Asks Map to write every open SampledData window with unwritten data to the outbox now, without waiting for the
    /// flush interval (the <c>Flush</c> direct method); completes with how many were written.
    /// </summary>
    public Task<int> RequestWindowFlushAsync()
    {
        var request = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<int>? current = Interlocked.CompareExchange(ref _flush, request, null);
        Inbox.Set();
        return (current ?? request).Task;
    }

    /// <summary>The pending flush request, taken by Map; null when none.</summary>
    public TaskCompletionSource<int>? TakeWindowFlushRequest() => Interlocked.Exchange(ref _flush, null);
}
