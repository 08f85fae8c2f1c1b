namespace MedTechEdge.Storage;

/// <summary>
/// Wakes the stage that drains a table when its producer commits rows. Signals coalesce: many commits
/// before the consumer wakes cost one wake-up, and the consumer always re-reads the table itself.
/// </summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Marks work as available. Never blocks.</summary>
    public void Set()
    {
        // A full semaphore means a wake-up is already pending; one is enough. Checked first, since this runs
        // once per commit and the exception below (kept for the race between the check and the release) is costly.
        if (_semaphore.CurrentCount != 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first. Returns true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}
