using System.Text.Json;
using MedTechEdge.Simulation.Tests.TestSupport;

namespace MedTechEdge.Simulation.Tests;

/// <summary>Bedside monitor and home device values: physiological, smooth, around each patient's own baseline.</summary>
public sealed class Vital_Signs_Tests
{
    private static readonly DeviceKind[] s_vitalKinds = [DeviceKind.BedsideMonitor, DeviceKind.PulseOximeter, DeviceKind.BloodPressureCuff, DeviceKind.Thermometer];

    // Adult limits no simulated patient may leave (wide enough for a sick one, never impossible).
    private static readonly Dictionary<string, (double Min, double Max)> s_ranges = new(StringComparer.Ordinal)
    {
        ["heartRate"] = (40, 180),
        ["pulseRate"] = (40, 180),
        ["spo2"] = (85, 100),
        ["systolic"] = (80, 200),
        ["diastolic"] = (40, 120),
        ["respiratoryRate"] = (6, 40),
        ["temperature"] = (35, 41),
    };

    [Theory]
    [InlineData(DeviceKind.BedsideMonitor, new[] { "heartRate", "spo2", "systolic", "diastolic", "respiratoryRate", "temperature" })]
    [InlineData(DeviceKind.PulseOximeter, new[] { "spo2", "pulseRate" })]
    [InlineData(DeviceKind.BloodPressureCuff, new[] { "systolic", "diastolic", "heartRate" })]
    [InlineData(DeviceKind.Thermometer, new[] { "temperature" })]
    public void Each_Kind_Writes_The_MedTech_Header_And_Its_Own_Values(DeviceKind kind, string[] values)
    {
        JsonElement root = Generated.OfKind(kind, 1)[0].Root;

        string[] names = [.. root.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["deviceId", "patientId", "measurementTime", .. values], names);
        Assert.Equal("sim-01", root.GetProperty("deviceId").GetString());
        Assert.Equal("patient-01", root.GetProperty("patientId").GetString());
        Assert.Equal("2026-11-21T17:00:00.000Z", root.GetProperty("measurementTime").GetString());
        Assert.All(values, v => Assert.Equal(JsonValueKind.Number, root.GetProperty(v).ValueKind));
    }

    [Fact]
    public void Values_Stay_In_Physiological_Ranges_Over_Many_Steps()
    {
        var options = new DeviceSimulationOptions { DeviceCount = 40, Kinds = s_vitalKinds, Seed = 11 };
        List<GeneratedMessage> messages = Generated.Messages(options, 2000);

        foreach (GeneratedMessage message in messages)
        {
            JsonElement root = message.Root;
            foreach (JsonProperty value in root.EnumerateObject())
            {
                if (s_ranges.TryGetValue(value.Name, out (double Min, double Max) range))
                {
                    Assert.InRange(value.Value.GetDouble(), range.Min, range.Max);
                }
            }

            if (root.TryGetProperty("systolic", out JsonElement systolic))
            {
                // Pulse pressure stays plausible (20 mmHg, less one for rounding each value).
                Assert.True(systolic.GetDouble() - root.GetProperty("diastolic").GetDouble() >= 19, root.GetRawText());
            }
        }
    }

    [Fact]
    public void Readings_Move_In_Small_Steps_And_Do_Not_Stand_Still()
    {
        double[] heartRates = [.. Generated.OfKind(DeviceKind.BedsideMonitor, 500, seed: 3).Select(m => m.Root.GetProperty("heartRate").GetDouble())];
        double[] temperatures = [.. Generated.OfKind(DeviceKind.Thermometer, 500, seed: 3).Select(m => m.Root.GetProperty("temperature").GetDouble())];

        for (int i = 1; i < heartRates.Length; i++)
        {
            // At most 2 /min per step, plus rounding.
            Assert.InRange(Math.Abs(heartRates[i] - heartRates[i - 1]), 0, 3);
            Assert.InRange(Math.Abs(temperatures[i] - temperatures[i - 1]), 0, 0.15);
        }

        Assert.True(heartRates.Distinct().Count() > 5, "The heart rate never moved.");
        Assert.True(temperatures.Distinct().Count() > 2, "The temperature never moved.");
    }

    [Fact]
    public void Each_Patient_Has_Its_Own_Baseline_And_Long_Runs_Stay_Near_It()
    {
        var options = new DeviceSimulationOptions { DeviceCount = 8, Kinds = [DeviceKind.BedsideMonitor], Seed = 5 };
        List<GeneratedMessage> messages = Generated.Messages(options, 3000);

        double[] means = [.. messages.GroupBy(m => m.Device.DeviceId).Select(g => g.Average(m => m.Root.GetProperty("heartRate").GetDouble()))];
        // Resting baselines are drawn from 60-90 /min; the pull back keeps a long run's mean close to its baseline.
        Assert.All(means, mean => Assert.InRange(mean, 55, 95));
        Assert.True(means.Max() - means.Min() > 3, "Every patient has the same heart rate.");
    }
}
