namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>Polls a condition that another process or connection makes true shortly (e.g. a server counter after a peer exits).</summary>
internal static class Until
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? Peers.Timeout))
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
