namespace MedTechEdge.EventHubs.Tests;

/// <summary>
/// Waits for a condition that the SDK's own loops reach in their own time (a load-balancing pass, a prefetch, a
/// checkpoint), up to a deadline. The short pause between checks is the polling interval, not a wait for something.
/// </summary>
internal static class Until
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
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
