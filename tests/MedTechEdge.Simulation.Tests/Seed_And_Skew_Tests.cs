using MedTechEdge.Simulation.Tests.TestSupport;

namespace MedTechEdge.Simulation.Tests;

/// <summary>A seed fixes every random choice; each device's clock is off by its own fixed amount, within the maximum.</summary>
public sealed class Seed_And_Skew_Tests
{
    private static DeviceSimulationOptions Options(int seed) => new()
    {
        DeviceCount = 10,
        Seed = seed,
        MaxClockSkew = TimeSpan.FromSeconds(30),
        MalformedRatio = 0.3,
    };

    [Fact]
    public void The_Same_Seed_Gives_The_Same_Messages_Byte_For_Byte()
    {
        List<GeneratedMessage> first = Generated.Messages(Options(42), 50);
        List<GeneratedMessage> second = Generated.Messages(Options(42), 50);

        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Form, second[i].Form);
            Assert.Equal(first[i].Json, second[i].Json);
        }
    }

    [Fact]
    public void Another_Seed_Gives_Other_Messages()
    {
        byte[][] first = [.. Generated.Messages(Options(42), 5).Select(m => m.Json)];
        byte[][] other = [.. Generated.Messages(Options(43), 5).Select(m => m.Json)];
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void The_Malformed_Ratio_Does_Not_Change_The_Values()
    {
        // Faults have their own generator: turning them on leaves the well-formed messages as they were.
        var clean = Generated.Messages(new DeviceSimulationOptions { DeviceCount = 5, Seed = 8 }, 40);
        var faulty = Generated.Messages(new DeviceSimulationOptions { DeviceCount = 5, Seed = 8, MalformedRatio = 0.5 }, 40);
        int compared = 0;
        for (int i = 0; i < clean.Count; i++)
        {
            if (faulty[i].Form == MessageForm.WellFormed)
            {
                Assert.Equal(clean[i].Json, faulty[i].Json);
                compared++;
            }
        }

        Assert.True(compared > 50);
    }

    [Fact]
    public void Each_Device_Has_Its_Own_Fixed_Skew_Within_The_Maximum()
    {
        List<GeneratedMessage> messages = Generated.Messages(NoFaults(Options(7)), 20);

        var skews = new HashSet<TimeSpan>();
        foreach (GeneratedMessage message in messages.Where(m => m.Device.Kind != DeviceKind.Ecg))
        {
            TimeSpan skew = MeasurementTime(message) - message.ClockTime;
            Assert.Equal(message.Device.ClockSkew, skew);
            Assert.InRange(skew, TimeSpan.FromSeconds(-30), TimeSpan.FromSeconds(30));
            skews.Add(skew);
        }

        Assert.True(skews.Count >= 5, "Devices share their skew.");
    }

    [Fact]
    public void The_Ecg_Stream_Starts_At_The_Skewed_Clock()
    {
        var options = new DeviceSimulationOptions { DeviceCount = 1, Kinds = [DeviceKind.Ecg], Seed = 2, MaxClockSkew = TimeSpan.FromMinutes(5) };
        GeneratedMessage first = Generated.Messages(options, 1)[0];

        Assert.NotEqual(TimeSpan.Zero, first.Device.ClockSkew);
        Assert.Equal(first.ClockTime + first.Device.ClockSkew, DateTimeOffset.FromUnixTimeMilliseconds(first.Root.GetProperty("startTimeMs").GetInt64()));
        Assert.Equal(first.ClockTime + first.Device.ClockSkew, MeasurementTime(first));
    }

    [Fact]
    public void Without_Skew_Measurement_Times_Are_The_Clock()
    {
        foreach (GeneratedMessage message in Generated.Messages(new DeviceSimulationOptions { DeviceCount = 5, Seed = 1 }, 5))
        {
            Assert.Equal(message.ClockTime, MeasurementTime(message));
        }
    }

    private static DeviceSimulationOptions NoFaults(DeviceSimulationOptions options)
    {
        options.MalformedRatio = 0;
        return options;
    }

    private static DateTimeOffset MeasurementTime(GeneratedMessage message) =>
        DateTimeOffset.Parse(message.Root.GetProperty("measurementTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
