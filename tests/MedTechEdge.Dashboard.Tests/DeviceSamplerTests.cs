using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Pipeline.Stages;
using Microsoft.Extensions.Time.Testing;

namespace MedTechEdge.Dashboard.Tests;

/// <summary>
/// The sampler's view of the devices: each judged live or silent against its own usual interval, at the time a
/// manual clock says, so the tests move time rather than wait for it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DeviceSamplerTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(s_start);
    private readonly MeasurementTap _tap = new();

    /// <summary>A heart rate as the Map stage records it: received now, by the manual clock.</summary>
    private void Receive(string device, string type = "heartrate", string value = "72")
    {
        DateTime now = _clock.GetUtcNow().UtcDateTime;
        var measurement = new Measurement { Type = type, DeviceId = device, PatientId = "p-" + device, OccurrenceTimeUtc = now, IngestionTimeUtc = now };
        measurement.Properties.Add(new MeasurementProperty("value", value));
        _tap.Record(measurement, now);
    }

    /// <summary>Receives <paramref name="count"/> messages <paramref name="every"/> apart; the clock ends at the last.</summary>
    private void ReceiveEvery(string device, TimeSpan every, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                _clock.Advance(every);
            }

            Receive(device);
        }
    }

    private DeviceView Sample(string device, int silentIntervals = 3) =>
        Assert.Single(new DeviceSampler(_tap, _clock, new DashboardOptions { SilentIntervals = silentIntervals }).Sample(), v => v.Device.DeviceId == device);

    [Fact]
    public void A_Device_Is_Live_Until_Silent_For_Three_Of_Its_Usual_Intervals_Then_Shows_No_Data()
    {
        ReceiveEvery("bed-1", TimeSpan.FromSeconds(10), 6);

        DeviceView now = Sample("bed-1");
        Assert.Equal(TimeSpan.FromSeconds(10), now.Activity.UsualInterval);
        Assert.False(now.Activity.NoData);

        _clock.Advance(TimeSpan.FromSeconds(30));
        DeviceView atThreshold = Sample("bed-1");
        Assert.Equal(TimeSpan.FromSeconds(30), atThreshold.Activity.SilentFor);
        Assert.False(atThreshold.Activity.NoData);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Sample("bed-1").Activity.NoData);

        // A message again: live at once.
        Receive("bed-1");
        Assert.False(Sample("bed-1").Activity.NoData);
    }

    [Fact]
    public void The_Usual_Interval_Is_The_Median_Gap_So_One_Outage_Does_Not_Stretch_It()
    {
        ReceiveEvery("bed-2", TimeSpan.FromSeconds(5), 4);
        _clock.Advance(TimeSpan.FromMinutes(10));
        ReceiveEvery("bed-2", TimeSpan.FromSeconds(5), 4);

        Assert.Equal(TimeSpan.FromSeconds(5), Sample("bed-2").Activity.UsualInterval);
    }

    [Fact]
    public void Each_Device_Is_Judged_By_Its_Own_Rhythm()
    {
        // A thermometer every ten minutes and a monitor every two seconds, both last heard a minute ago.
        ReceiveEvery("thermometer", TimeSpan.FromMinutes(10), 3);
        ReceiveEvery("monitor", TimeSpan.FromSeconds(2), 10);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(Sample("thermometer").Activity.NoData);
        Assert.True(Sample("monitor").Activity.NoData);
    }

    [Fact]
    public void SilentIntervals_Sets_How_Many_Intervals_Make_No_Data()
    {
        ReceiveEvery("bed-3", TimeSpan.FromSeconds(10), 3);
        _clock.Advance(TimeSpan.FromSeconds(45));

        Assert.True(Sample("bed-3", silentIntervals: 3).Activity.NoData);
        Assert.False(Sample("bed-3", silentIntervals: 5).Activity.NoData);
    }

    [Fact]
    public void A_Device_With_One_Sample_Has_No_Rhythm_Yet_And_Is_Never_No_Data()
    {
        Receive("bed-4");
        _clock.Advance(TimeSpan.FromHours(1));

        DeviceView view = Sample("bed-4");
        Assert.Null(view.Activity.UsualInterval);
        Assert.False(view.Activity.NoData);
        Assert.Equal(TimeSpan.FromHours(1), view.Activity.SilentFor);
    }

    [Fact]
    public void A_Fast_Device_Is_Not_No_Data_Before_The_Minimum_Silence()
    {
        // Twice a second: three intervals are 1.5 s, less than the Map stage's batching and the page's sampling.
        ReceiveEvery("fast", TimeSpan.FromMilliseconds(500), 10);
        _clock.Advance(DeviceActivity.MinimumSilence);
        Assert.False(Sample("fast").Activity.NoData);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(Sample("fast").Activity.NoData);
    }
}
