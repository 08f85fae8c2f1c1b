using System.Diagnostics;
using System.Globalization;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// p50, p99 and max of a set of latencies, in milliseconds. Nearest-rank percentiles (the smallest value with at least
/// p of the values at or below it), so every figure is a latency that was actually measured.
/// </summary>
internal readonly record struct LatencyStats(int Count, double P50, double P99, double Max)
{
    public static LatencyStats Empty => new(0, double.NaN, double.NaN, double.NaN);

    /// <summary>Sorts <paramref name="milliseconds"/> in place and summarizes it.</summary>
    public static LatencyStats Of(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return Empty;
        }

        milliseconds.Sort();
        return new LatencyStats(milliseconds.Count, Rank(milliseconds, 0.50), Rank(milliseconds, 0.99), milliseconds[^1]);
    }

    public static double Milliseconds(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    /// <summary>The value at rank ⌈p·n⌉ (1-based) of the sorted <paramref name="sorted"/>.</summary>
    public static double Rank(List<double> sorted, double p)
    {
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>"p50 / p99 / max" in ms, or a dash when nothing was measured.</summary>
    public string Cell => Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{Format(P50)} / {Format(P99)} / {Format(Max)}");

    private static string Format(double ms) => ms >= 100 ? ms.ToString("N0", CultureInfo.InvariantCulture) : ms.ToString("0.0", CultureInfo.InvariantCulture);
}
