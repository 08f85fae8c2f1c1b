using System.Text.Json;
using MedTechEdge.Simulation.Tests.TestSupport;

namespace MedTechEdge.Simulation.Tests;

/// <summary>The ECG device: one unbroken 250 Hz stream cut into windows, with a heartbeat you can count.</summary>
public sealed class Ecg_Waveform_Tests
{
    [Fact]
    public void A_Window_Holds_One_Interval_Of_Samples_With_Its_Start_Time()
    {
        JsonElement root = Generated.OfKind(DeviceKind.Ecg, 1)[0].Root;

        Assert.Equal("sim-01", root.GetProperty("deviceId").GetString());
        Assert.Equal("patient-01", root.GetProperty("patientId").GetString());
        Assert.Equal("2026-11-21T17:00:00.000Z", root.GetProperty("measurementTime").GetString());
        Assert.Equal(Generated.Start.ToUnixTimeMilliseconds(), root.GetProperty("startTimeMs").GetInt64());
        Assert.Equal(250, root.GetProperty("samplingRate").GetInt32());
        Assert.Equal("sim-01-202611211700", root.GetProperty("stripId").GetString());
        JsonElement[] samples = [.. root.GetProperty("ecg").EnumerateArray()];
        Assert.Equal(250, samples.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(i * 4, samples[i].GetProperty("offsetMs").GetInt32());
            Assert.InRange(samples[i].GetProperty("mv").GetDouble(), -1, 2);
        }
    }

    [Fact]
    public void Windows_Follow_Each_Other_Without_Gap_Or_Overlap()
    {
        long[] starts = [.. Generated.OfKind(DeviceKind.Ecg, 30).Select(m => m.Root.GetProperty("startTimeMs").GetInt64())];
        for (int i = 1; i < starts.Length; i++)
        {
            Assert.Equal(starts[i - 1] + 1000, starts[i]);
        }
    }

    [Fact]
    public void The_Signal_Beats_At_A_Heart_Rate()
    {
        double[] signal = [.. Generated.OfKind(DeviceKind.Ecg, 60, seed: 9).SelectMany(m => m.Root.GetProperty("ecg").EnumerateArray().Select(s => s.GetProperty("mv").GetDouble()))];

        // R waves: upward crossings of 0.6 mV, far above P and T waves and noise.
        int beats = 0;
        for (int i = 1; i < signal.Length; i++)
        {
            if (signal[i - 1] < 0.6 && signal[i] >= 0.6)
            {
                beats++;
            }
        }

        // One minute of signal: the beat count is the heart rate, which stays within 40-180 /min.
        Assert.InRange(beats, 40, 180);
    }

    [Theory]
    [InlineData(500, 1000, 500, 2)]
    [InlineData(250, 200, 50, 4)]
    public void Rate_And_Interval_Set_The_Window(int rate, int intervalMs, int samples, int periodMs)
    {
        var options = new DeviceSimulationOptions { DeviceCount = 1, Kinds = [DeviceKind.Ecg], EcgSamplingRate = rate, Interval = TimeSpan.FromMilliseconds(intervalMs), Seed = 1 };
        JsonElement[] ecg = [.. Generated.Messages(options, 1)[0].Root.GetProperty("ecg").EnumerateArray()];
        Assert.Equal(samples, ecg.Length);
        Assert.Equal(periodMs, ecg[1].GetProperty("offsetMs").GetInt32());
    }
}
