namespace MedTechEdge.Mqtt.Client;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniformly random time in [0, min(max, first * 2^n)].
/// The randomness spreads the reconnects of many modules after a broker restart; the cap doubles so a broker that
/// stays down is probed less and less often. Example with first 1 s, max 60 s: ceilings 1, 2, 4, 8, 16, 32, 60, 60 s.
/// </summary>
internal sealed class MqttReconnectBackoff(TimeSpan first, TimeSpan max, Random random)
{
    // 2^30 * first exceeds any sensible maximum; stop doubling there so the ceiling never overflows.
    private const int MaxExponent = 30;
    private int _attempt;

    /// <summary>Attempts since the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    /// <summary>Upper bound of the delay before attempt <paramref name="attempt"/> (zero-based).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        double ticks = first.Ticks * Math.Pow(2, Math.Min(attempt, MaxExponent));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay to wait now; moves to the next attempt.</summary>
    public TimeSpan Next()
    {
        TimeSpan ceiling = Ceiling(_attempt);
        if (_attempt < MaxExponent)
        {
            _attempt++;
        }

        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling.Ticks));
    }

    /// <summary>Starts over from the first ceiling, after a connection that stayed up.</summary>
    public void Reset() => _attempt = 0;
}
