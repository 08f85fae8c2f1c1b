using System.Globalization;
using MedTechEdge.Simulation;

// Simulated bedside devices. Settings: --host, --port, --devices, --interval-ms, or the environment variables
// SIMULATOR_HOST, SIMULATOR_PORT, SIMULATOR_DEVICES, SIMULATOR_INTERVAL_MS. Ctrl+C or SIGTERM stops cleanly.
var options = new DeviceSimulationOptions
{
    Host = Setting(args, "--host", "SIMULATOR_HOST") ?? "127.0.0.1",
    Port = IntSetting(args, "--port", "SIMULATOR_PORT") ?? 1883,
    DeviceCount = IntSetting(args, "--devices", "SIMULATOR_DEVICES") ?? 4,
    Interval = TimeSpan.FromMilliseconds(IntSetting(args, "--interval-ms", "SIMULATOR_INTERVAL_MS") ?? 1000),
};

var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

var simulation = new DeviceSimulation(options);
Console.WriteLine($"Simulating {options.DeviceCount} devices against {options.Host}:{options.Port}, one reading every {options.Interval.TotalMilliseconds} ms each.");
Task run = simulation.RunAsync(stop.Token);
while (!run.IsCompleted)
{
    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
    DeviceSimulationStatistics s = simulation.Statistics;
    Console.WriteLine($"published {s.Published}, acknowledged {s.Acknowledged}, failed {s.Failed}, connects {s.Connects}");
}

await run;
return 0;

static string? Setting(string[] args, string flag, string variable)
{
    int index = Array.IndexOf(args, flag);
    if (index >= 0 && index + 1 < args.Length)
    {
        return args[index + 1];
    }

    return Environment.GetEnvironmentVariable(variable);
}

static int? IntSetting(string[] args, string flag, string variable) =>
    Setting(args, flag, variable) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
