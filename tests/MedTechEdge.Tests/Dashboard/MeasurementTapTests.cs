using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Tests.Dashboard;

[Trait("Category", "Unit")]
public sealed class MeasurementTapTests
{
    private static readonly DateTime s_start = new(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);

    private static Measurement Reading(string device, string type, int second, params (string Name, string Value)[] values)
    {
        var measurement = new Measurement
        {
            Type = type,
            DeviceId = device,
            PatientId = "patient-" + device,
            OccurrenceTimeUtc = s_start.AddSeconds(second),
            IngestionTimeUtc = s_start.AddSeconds(second + 1),
        };
        foreach ((string name, string value) in values)
        {
            measurement.Properties.Add(new MeasurementProperty(name, value));
        }

        return measurement;
    }

    private static List<MeasurementTapDevice> Snapshot(MeasurementTap tap)
    {
        var devices = new List<MeasurementTapDevice>();
        tap.Snapshot(devices);
        return devices;
    }

    [Fact]
    public void Keeps_The_Latest_Samples_Per_Series_Oldest_First()
    {
        var tap = new MeasurementTap(maxDevices: 4, samplesPerSeries: 3);
        for (int s = 0; s < 5; s++)
        {
            tap.Record(Reading("d1", "heartrate", s, ("hr", (70 + s).ToString(System.Globalization.CultureInfo.InvariantCulture))), s_start);
        }

        MeasurementTapDevice device = Assert.Single(Snapshot(tap));
        MeasurementTapSeries series = Assert.Single(device.Series);
        Assert.Equal(["hr"], series.ValueNames);
        Assert.Equal([72.0, 73.0, 74.0], series.Samples.Select(p => p.First));
        Assert.Equal(s_start.AddSeconds(5), device.LastSeenUtc);
        Assert.Equal("patient-d1", device.PatientId);
    }

    [Fact]
    public void Blood_Pressure_Keeps_Both_Values_And_Non_Numeric_Values_Are_Not_Charted()
    {
        var tap = new MeasurementTap();
        tap.Record(Reading("d1", "bloodpressure", 0, ("systolic", "121"), ("diastolic", "79.5")), s_start);
        tap.Record(Reading("d1", "ecg", 0, ("mv", "0.1 0.2 0.3")), s_start);

        MeasurementTapSeries series = Assert.Single(Assert.Single(Snapshot(tap)).Series);
        Assert.Equal(["systolic", "diastolic"], series.ValueNames);
        Assert.Equal(new MeasurementSample(s_start, 121, 79.5), Assert.Single(series.Samples));
    }

    [Fact]
    public void A_Sample_Not_Newer_Than_The_Latest_Is_Skipped()
    {
        // The Map stage maps a batch again after an identity lookup: the same measurement comes twice.
        var tap = new MeasurementTap();
        tap.Record(Reading("d1", "spo2", 2, ("spo2", "97")), s_start);
        tap.Record(Reading("d1", "spo2", 2, ("spo2", "97")), s_start);
        tap.Record(Reading("d1", "spo2", 1, ("spo2", "96")), s_start);

        Assert.Single(Assert.Single(Assert.Single(Snapshot(tap)).Series).Samples);
    }

    [Fact]
    public void The_Device_Seen_Longest_Ago_Makes_Room_For_A_New_One()
    {
        var tap = new MeasurementTap(maxDevices: 2);
        tap.Record(Reading("old", "heartrate", 0, ("hr", "60")), s_start);
        tap.Record(Reading("recent", "heartrate", 5, ("hr", "61")), s_start);
        tap.Record(Reading("new", "heartrate", 3, ("hr", "62")), s_start);

        Assert.Equal(["recent", "new"], Snapshot(tap).Select(d => d.DeviceId));
    }
}
