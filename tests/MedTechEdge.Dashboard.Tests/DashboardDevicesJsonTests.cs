using System.Buffers;
using System.Text.Json;
using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Dashboard.Tests;

/// <summary>The devices answer the page reads: activity per device, ranges per value, and patients only when allowed.</summary>
[Trait("Category", "Unit")]
public sealed class DashboardDevicesJsonTests
{
    private static readonly DateTime s_now = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    private static JsonElement Write(DeviceView[] devices, bool showPatientIds, DashboardOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DashboardJson.WriteDevices(writer, devices, s_now, showPatientIds, new NormalRanges(options));
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.GetProperty("devices").Clone();
    }

    private static DeviceView BloodPressureCuff(DeviceActivity activity)
    {
        var series = new MeasurementTapSeries("bloodpressure", ["systolic", "diastolic"], [new MeasurementSample(s_now.AddMinutes(-1), 151, 82)]);
        return new DeviceView(new MeasurementTapDevice("cuff-1", "patient-9", s_now.AddMinutes(-1), [series]), activity);
    }

    [Fact]
    public void Each_Value_Carries_Its_Range_And_The_Device_Its_State()
    {
        var options = new DashboardOptions
        {
            NormalRanges = { ["BloodPressure"] = new() { Values = { ["systolic"] = new() { Low = 90, High = 140 } } } },
        };
        JsonElement device = Write([BloodPressureCuff(new DeviceActivity(TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), NoData: true))], showPatientIds: false, options)[0];

        Assert.Equal("no-data", device.GetProperty("state").GetString());
        Assert.Equal(15, device.GetProperty("usualIntervalSeconds").GetDouble());
        Assert.Equal(60, device.GetProperty("silentSeconds").GetDouble());
        JsonElement ranges = device.GetProperty("series")[0].GetProperty("ranges");
        Assert.Equal("[90,140]", ranges[0].GetRawText());
        Assert.Equal(JsonValueKind.Null, ranges[1].ValueKind);
        Assert.False(device.TryGetProperty("patientId", out _));
    }

    [Fact]
    public void A_Device_Without_A_Rhythm_Is_Unknown_And_Its_Patient_Shows_Only_When_Allowed()
    {
        JsonElement device = Write([BloodPressureCuff(new DeviceActivity(null, TimeSpan.FromMinutes(1), NoData: false))], showPatientIds: true, new DashboardOptions())[0];

        Assert.Equal("unknown", device.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, device.GetProperty("usualIntervalSeconds").ValueKind);
        Assert.Equal("patient-9", device.GetProperty("patientId").GetString());
        Assert.Equal("[null,null]", device.GetProperty("series")[0].GetProperty("ranges").GetRawText());
    }
}
