namespace MedTechEdge.TestPeers;

/// <summary>
/// Waits for a condition that code under test reaches in its own time (an SDK's load-balancing pass, a prefetch, a
/// checkpoint, a reconnect), up to a deadline. The short pause between checks is the polling interval, not a wait for something.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(s_poll, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {timeout}: {what}");
            }
        }
    }
}
