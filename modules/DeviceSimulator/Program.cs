using System.Globalization;
using MedTechEdge.IotEdge;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Simulation;

// Simulated bedside and home devices publishing over MQTT, one connection each. Every setting is a flag
// (--name value or --name=value) or a SIMULATOR_* environment variable; the flag wins. A bad value ends the program
// with exit code 2 and a message naming the setting. Ctrl+C or SIGTERM stops cleanly. See docs/simulator.md.
DeviceSimulationOptions options;
MqttDeviceTransportOptions mqtt;
string transportKind;
string output;
EdgeModuleClientOptions edgeHub;
try
{
    var settings = new Settings(args);
    if (settings.Help)
    {
        Console.WriteLine(Settings.Usage);
        return 0;
    }

    transportKind = settings.Choice("--transport", "SIMULATOR_TRANSPORT", "mqtt", ["mqtt", "edgehub"]);
    output = settings.Text("--output", "SIMULATOR_OUTPUT") ?? "telemetry";
    edgeHub = new EdgeModuleClientOptions
    {
        Port = settings.Int("--edgehub-port", "SIMULATOR_EDGEHUB_PORT", 8883, 1, 65535),
        // iotedgehubdev gives modules the CA of its edgeHub in this variable; the real runtime uses the workload API.
        CaFile = settings.Text("--edgehub-ca-file", "EdgeModuleCACertificateFile"),
    };
    mqtt = new MqttDeviceTransportOptions
    {
        Host = settings.Text("--host", "SIMULATOR_HOST") ?? "127.0.0.1",
        Port = settings.Int("--port", "SIMULATOR_PORT", 1883, 1, 65535),
        TopicPattern = settings.Text("--topic", "SIMULATOR_TOPIC") ?? "devices/{deviceId}/messages/events/",
        QoS = settings.Int("--qos", "SIMULATOR_QOS", 1, 0, 1) == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce,
        ProtocolVersion = settings.Choice("--protocol", "SIMULATOR_PROTOCOL", "3.1.1", ["3.1.1", "5"]) == "5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
    };
    options = new DeviceSimulationOptions
    {
        DeviceCount = settings.Int("--devices", "SIMULATOR_DEVICES", 4, 1, 10_000),
        Kinds = settings.Kinds("--kinds", "SIMULATOR_KINDS"),
        Interval = TimeSpan.FromMilliseconds(settings.Int("--interval-ms", "SIMULATOR_INTERVAL_MS", 1000, 1, int.MaxValue)),
        BurstEvery = TimeSpan.FromMilliseconds(settings.Int("--burst-every-ms", "SIMULATOR_BURST_EVERY_MS", 0, 0, int.MaxValue)),
        BurstSize = settings.Int("--burst-size", "SIMULATOR_BURST_SIZE", 10, 1, 100_000),
        MaxClockSkew = TimeSpan.FromMilliseconds(settings.Int("--max-skew-ms", "SIMULATOR_MAX_SKEW_MS", 0, 0, int.MaxValue)),
        MalformedRatio = settings.Ratio("--malformed-ratio", "SIMULATOR_MALFORMED_RATIO"),
        EcgSamplingRate = settings.Int("--ecg-rate", "SIMULATOR_ECG_RATE", 250, 1, 1000),
        Seed = settings.OptionalInt("--seed", "SIMULATOR_SEED"),
        DeviceIdPrefix = settings.Text("--device-prefix", "SIMULATOR_DEVICE_PREFIX") ?? "sim-",
        PatientIdPrefix = settings.Text("--patient-prefix", "SIMULATOR_PATIENT_PREFIX") ?? "patient-",
    };
    if (1000 % options.EcgSamplingRate != 0)
    {
        throw new SettingException("--ecg-rate (SIMULATOR_ECG_RATE): " + options.EcgSamplingRate + " does not divide 1000; use 250, 500, 1000 or another divisor so every sample falls on a whole millisecond.");
    }

    settings.ThrowOnUnknownFlags();
}
catch (SettingException ex)
{
    Console.Error.WriteLine("DeviceSimulator: " + ex.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

IDeviceMessageTransport transport;
if (transportKind == "edgehub")
{
    // As a module: the runtime's IOTEDGE_* environment, or the simulator's EdgeHubConnectionString.
    if (!IotEdgeSettings.TryRead(Environment.GetEnvironmentVariables(), out IotEdgeSettings? identity, out string? identityError) || identity is null)
    {
        Console.Error.WriteLine("DeviceSimulator: --transport edgehub (SIMULATOR_TRANSPORT): " + (identityError ?? "not running under IoT Edge (no IOTEDGE_* environment, no EdgeHubConnectionString)."));
        return 2;
    }

    transport = new ModuleOutputTransport(identity, edgeHub, output);
}
else
{
    transport = new MqttDeviceTransport(mqtt);
}

await using IDeviceMessageTransport disposeTransport = transport;
var simulation = new DeviceSimulation(options, transport);
Console.WriteLine($"Simulating {options.DeviceCount} device(s) ({string.Join(", ", options.Kinds)} in turn) to {transport.Destination}, one message each every {options.Interval.TotalMilliseconds} ms"
    + (options.BurstEvery > TimeSpan.Zero ? $", a burst of {options.BurstSize} every {options.BurstEvery.TotalMilliseconds} ms" : string.Empty)
    + (options.MaxClockSkew > TimeSpan.Zero ? $", clocks off by up to {options.MaxClockSkew.TotalMilliseconds} ms" : string.Empty)
    + (options.MalformedRatio > 0 ? $", {options.MalformedRatio:P1} malformed" : string.Empty)
    + (options.Seed is int seed ? $", seed {seed}" : string.Empty) + ".");
Task run = simulation.RunAsync(stop.Token);
while (!run.IsCompleted)
{
    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
    DeviceSimulationStatistics s = simulation.Statistics;
    Console.WriteLine($"published {s.Published} (malformed {s.Malformed}, bursts {s.Bursts}), acknowledged {s.Acknowledged}, failed {s.Failed}, connects {s.Connects}");
}

await run;
return 0;

/// <summary>A setting with a value it cannot take; the message names the flag and the variable.</summary>
internal sealed class SettingException(string message) : Exception(message);

/// <summary>Reads flags first, then SIMULATOR_* variables, and says which setting is wrong.</summary>
internal sealed class Settings
{
    public const string Usage = """
        DeviceSimulator: simulated bedside and home devices publishing MedTech-style JSON over MQTT, or as an IoT Edge module output.
        Flag (environment variable)                 Default
          --transport (SIMULATOR_TRANSPORT)         mqtt (mqtt: one connection per device; edgehub: a module output)
          --output (SIMULATOR_OUTPUT)               telemetry (the module output, with --transport edgehub)
          --edgehub-port (SIMULATOR_EDGEHUB_PORT)   8883
          --edgehub-ca-file (EdgeModuleCACertificateFile) the workload API's trust bundle
          --host (SIMULATOR_HOST)                   127.0.0.1
          --port (SIMULATOR_PORT)                   1883
          --topic (SIMULATOR_TOPIC)                 devices/{deviceId}/messages/events/
          --qos (SIMULATOR_QOS)                     1 (0 or 1)
          --protocol (SIMULATOR_PROTOCOL)           3.1.1 (3.1.1 or 5)
          --devices (SIMULATOR_DEVICES)             4
          --kinds (SIMULATOR_KINDS)                 bedside,oximeter,bpcuff,thermometer,ecg (in turn)
          --interval-ms (SIMULATOR_INTERVAL_MS)     1000
          --burst-every-ms (SIMULATOR_BURST_EVERY_MS) 0 (no bursts)
          --burst-size (SIMULATOR_BURST_SIZE)       10
          --max-skew-ms (SIMULATOR_MAX_SKEW_MS)     0
          --malformed-ratio (SIMULATOR_MALFORMED_RATIO) 0 (0 to 1)
          --ecg-rate (SIMULATOR_ECG_RATE)           250 (Hz, a divisor of 1000)
          --seed (SIMULATOR_SEED)                   none (random)
          --device-prefix (SIMULATOR_DEVICE_PREFIX) sim-
          --patient-prefix (SIMULATOR_PATIENT_PREFIX) patient-
        """;

    private static readonly Dictionary<string, DeviceKind> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bedside"] = DeviceKind.BedsideMonitor,
        ["oximeter"] = DeviceKind.PulseOximeter,
        ["bpcuff"] = DeviceKind.BloodPressureCuff,
        ["thermometer"] = DeviceKind.Thermometer,
        ["ecg"] = DeviceKind.Ecg,
    };

    private readonly Dictionary<string, string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public Settings(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
            {
                Help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SettingException($"unexpected argument '{arg}'; settings are --name value (see --help).");
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                _flags[arg[..equals]] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                _flags[arg] = args[++i];
            }
            else
            {
                throw new SettingException($"{arg} needs a value.");
            }
        }
    }

    public bool Help { get; }

    public string? Text(string flag, string variable)
    {
        _known.Add(flag);
        return _flags.TryGetValue(flag, out string? value) ? value : Environment.GetEnvironmentVariable(variable);
    }

    public int Int(string flag, string variable, int fallback, int min, int max) =>
        OptionalInt(flag, variable, min, max) ?? fallback;

    public int? OptionalInt(string flag, string variable, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Text(flag, variable) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new SettingException($"{flag} ({variable}): '{text}' is not a whole number from {min} to {max}.");
        }

        return value;
    }

    public double Ratio(string flag, string variable)
    {
        if (Text(flag, variable) is not { } text)
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= 0 && value <= 1))
        {
            throw new SettingException($"{flag} ({variable}): '{text}' is not a number from 0 to 1.");
        }

        return value;
    }

    public string Choice(string flag, string variable, string fallback, string[] choices)
    {
        string text = Text(flag, variable) ?? fallback;
        return Array.IndexOf(choices, text) >= 0
            ? text
            : throw new SettingException($"{flag} ({variable}): '{text}' is not one of {string.Join(", ", choices)}.");
    }

    public IReadOnlyList<DeviceKind> Kinds(string flag, string variable)
    {
        if (Text(flag, variable) is not { } text)
        {
            return DeviceSimulationOptions.AllKinds;
        }

        var kinds = new List<DeviceKind>();
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            kinds.Add(s_kinds.TryGetValue(name, out DeviceKind kind)
                ? kind
                : throw new SettingException($"{flag} ({variable}): '{name}' is not a device kind; use {string.Join(", ", s_kinds.Keys)}."));
        }

        return kinds.Count > 0 ? kinds : throw new SettingException($"{flag} ({variable}): name at least one device kind.");
    }

    public void ThrowOnUnknownFlags()
    {
        foreach (string flag in _flags.Keys)
        {
            if (!_known.Contains(flag))
            {
                throw new SettingException($"unknown setting {flag} (see --help).");
            }
        }
    }
}
