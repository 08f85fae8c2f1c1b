namespace MedTechEdge.Simulation;

/// <summary>Settings of <see cref="DeviceSimulation"/>: what the devices send and when. Where it goes is the transport's business.</summary>
public sealed class DeviceSimulationOptions
{
    /// <summary>The kinds devices take in turn: device n is <c>Kinds[(n - 1) % Kinds.Count]</c>.</summary>
    public static IReadOnlyList<DeviceKind> AllKinds { get; } =
        [DeviceKind.BedsideMonitor, DeviceKind.PulseOximeter, DeviceKind.BloodPressureCuff, DeviceKind.Thermometer, DeviceKind.Ecg];

    /// <summary>Number of simulated devices.</summary>
    public int DeviceCount { get; set; } = 4;

    /// <summary>Kinds in rotation; defaults to <see cref="AllKinds"/>.</summary>
    public IReadOnlyList<DeviceKind> Kinds { get; set; } = AllKinds;

    /// <summary>Time between two messages of one device. An ECG message carries this much signal.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a device sends a burst; <see cref="TimeSpan.Zero"/> turns bursts off.</summary>
    public TimeSpan BurstEvery { get; set; } = TimeSpan.Zero;

    /// <summary>Messages a device sends back to back when a burst is due, instead of its one regular message.</summary>
    public int BurstSize { get; set; } = 10;

    /// <summary>
    /// Largest clock error of a device: each device gets a fixed offset, drawn from [-MaxClockSkew, +MaxClockSkew],
    /// added to every measurement time it writes. Zero: every device's clock is right.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>Share of messages, 0 to 1, sent malformed (invalid JSON, no device id, wrong types) for the dead-letter path.</summary>
    public double MalformedRatio { get; set; }

    /// <summary>ECG samples per second; must divide 1000 so every sample falls on a whole millisecond.</summary>
    public int EcgSamplingRate { get; set; } = 250;

    /// <summary>Device ids are this prefix plus a two-digit number: sim-01, sim-02, ...</summary>
    public string DeviceIdPrefix { get; set; } = "sim-";

    /// <summary>Patient ids are this prefix plus the device number: patient-01, ...</summary>
    public string PatientIdPrefix { get; set; } = "patient-";

    /// <summary>Wait between connection attempts while the transport cannot connect.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed for reproducible devices, values, skews and malformed picks; null picks one.</summary>
    public int? Seed { get; set; }

    /// <summary>Clock for measurement times and the send schedule.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first setting out of range. The console program checks its
    /// own input first, so this is the library's guard for other callers.
    /// </summary>
    public void Validate()
    {
        string? error = Check();
        if (error is not null)
        {
            throw new ArgumentException(error);
        }
    }

    /// <summary>The first setting out of range, as a sentence naming it, or null when all are valid.</summary>
    public string? Check()
    {
        if (DeviceCount < 1)
        {
            return "DeviceCount must be at least 1.";
        }

        if (Kinds is null || Kinds.Count == 0)
        {
            return "Kinds must name at least one device kind.";
        }

        if (Interval <= TimeSpan.Zero)
        {
            return "Interval must be positive.";
        }

        if (BurstEvery < TimeSpan.Zero)
        {
            return "BurstEvery must not be negative.";
        }

        if (BurstSize < 1)
        {
            return "BurstSize must be at least 1.";
        }

        if (MaxClockSkew < TimeSpan.Zero)
        {
            return "MaxClockSkew must not be negative.";
        }

        if (!(MalformedRatio >= 0 && MalformedRatio <= 1))
        {
            return "MalformedRatio must be between 0 and 1.";
        }

        // Whole-millisecond sample offsets keep fromUnixTimestampMs in the device mapping exact.
        if (EcgSamplingRate < 1 || EcgSamplingRate > 1000 || 1000 % EcgSamplingRate != 0)
        {
            return "EcgSamplingRate must divide 1000 (e.g. 250, 500, 1000).";
        }

        return ReconnectDelay < TimeSpan.Zero ? "ReconnectDelay must not be negative." : null;
    }
}
