using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Dashboard;

/// <summary>
/// The devices as the page shows them at one instant: a copy of the measurement tap, each device judged live or
/// silent at that instant. The instant comes from the sampler's <see cref="TimeProvider"/>, so tests move time instead
/// of waiting.
/// </summary>
internal sealed class DeviceSampler(MeasurementTap tap, TimeProvider clock, DashboardOptions options)
{
    private readonly List<MeasurementTapDevice> _scratch = [];

    /// <summary>Every device the tap holds, most recently seen first, with its activity now.</summary>
    public DeviceView[] Sample()
    {
        DateTime nowUtc = clock.GetUtcNow().UtcDateTime;
        _scratch.Clear();
        tap.Snapshot(_scratch);
        var views = new DeviceView[_scratch.Count];
        for (int i = 0; i < views.Length; i++)
        {
            views[i] = new DeviceView(_scratch[i], DeviceActivity.Assess(_scratch[i], nowUtc, options.SilentIntervals));
        }

        return views;
    }
}

/// <summary>One device on the page: its recent measurements and whether it is still sending.</summary>
internal sealed record DeviceView(MeasurementTapDevice Device, DeviceActivity Activity);
