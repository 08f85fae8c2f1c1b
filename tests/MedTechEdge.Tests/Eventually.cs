namespace MedTechEdge.Tests;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, or fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            T? value = await probe().ConfigureAwait(false);
            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>The same, and the failure also says what the probe saw last (<paramref name="lastSeen"/>).</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<string> lastSeen)
        where T : class
    {
        try
        {
            return await GetAsync(probe, timeout, what).ConfigureAwait(false);
        }
        catch (Xunit.Sdk.FailException ex)
        {
            throw new Xunit.Sdk.XunitException(ex.Message + " Last seen: " + lastSeen());
        }
    }

    /// <summary>Polls until <paramref name="condition"/> is true, or fails with <paramref name="what"/> after the timeout.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        GetAsync(() => Task.FromResult(condition() ? what : null), timeout, what);
}
