using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Dashboard;

/// <summary>
/// Whether a device is still sending, judged against its own rhythm: a thermometer read every ten minutes is not
/// silent after a minute, a monitor that sent every second is. The usual interval is the median gap between
/// consecutive samples of each of its charted types (the median, so one outage or one burst does not move it); the
/// device has "no data" once it has been silent for <c>SilentIntervals</c> of them.
/// </summary>
/// <param name="UsualInterval">The estimate; null until some type has two samples.</param>
/// <param name="SilentFor">Since the module last received one of its measurements.</param>
/// <param name="NoData">Silent for longer than the threshold; false when there is no estimate yet.</param>
internal readonly record struct DeviceActivity(TimeSpan? UsualInterval, TimeSpan SilentFor, bool NoData)
{
    /// <summary>Gaps looked at per type: the recent rhythm, not the one an hour ago.</summary>
    public const int RecentGaps = 20;

    /// <summary>
    /// Never "no data" sooner than this: a device sending several times a second would otherwise flicker, since its
    /// messages reach the tap in the Map stage's batches and the page samples every two seconds.
    /// </summary>
    public static readonly TimeSpan MinimumSilence = TimeSpan.FromSeconds(5);

    public static DeviceActivity Assess(MeasurementTapDevice device, DateTime nowUtc, int silentIntervals)
    {
        TimeSpan silentFor = nowUtc > device.LastSeenUtc ? nowUtc - device.LastSeenUtc : TimeSpan.Zero;
        TimeSpan? usual = UsualIntervalOf(device);
        if (usual is not TimeSpan interval)
        {
            return new DeviceActivity(null, silentFor, false);
        }

        TimeSpan threshold = interval * silentIntervals;
        if (threshold < MinimumSilence)
        {
            threshold = MinimumSilence;
        }

        return new DeviceActivity(interval, silentFor, silentFor > threshold);
    }

    private static TimeSpan? UsualIntervalOf(MeasurementTapDevice device)
    {
        var gaps = new List<long>();
        foreach (MeasurementTapSeries series in device.Series)
        {
            IReadOnlyList<MeasurementSample> samples = series.Samples;
            // The tap keeps samples oldest first and strictly increasing in time, so every gap is positive.
            for (int i = Math.Max(1, samples.Count - RecentGaps); i < samples.Count; i++)
            {
                gaps.Add((samples[i].TimeUtc - samples[i - 1].TimeUtc).Ticks);
            }
        }

        if (gaps.Count == 0)
        {
            return null;
        }

        gaps.Sort();
        int middle = gaps.Count / 2;
        long median = gaps.Count % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2;
        return TimeSpan.FromTicks(median);
    }
}
