using System.Globalization;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>memory</c> mode (issue 16 §3): the module's resident memory in steady state with 1,000 devices publishing 10
/// messages a second each, and with 10,000 idle devices connected, under the runtime's GC defaults (the baseline) and
/// each GC setting to choose from, beside Mosquitto with the same devices (for scale), in one run. Each case is a fresh
/// module process as shipped (published for linux-x64, ReadyToRun), its NDJSON sink (no FHIR URL: the FHIR peer could
/// not take 10,000/s), its store with the shipped durability; the settings are the runtime's environment variables.
/// </summary>
/// <remarks>
/// A setting that saves memory but drops messages or burns CPU is no win, so every row also has the acknowledged rate
/// against the offered one, the resources the pipeline wrote, the broker's CPU over the same window, and the backlog
/// at its end.
/// </remarks>
internal static class MemoryRun
{
    private static readonly TimeSpan s_idleSettle = TimeSpan.FromSeconds(5);

    /// <summary>The GC settings measured, each as the environment variables the Dockerfiles would set.</summary>
    private static readonly (string Name, Dictionary<string, string> Environment)[] s_variants =
    [
        ("runtime defaults (workstation, concurrent)", []),
        ("DOTNET_gcServer=1 (server GC, DATAS)", new() { ["DOTNET_gcServer"] = "1" }),
        ("DOTNET_gcConcurrent=0", new() { ["DOTNET_gcConcurrent"] = "0" }),
        ("DOTNET_GCgen0size=0x400000 (4 MiB)", new() { ["DOTNET_GCgen0size"] = "0x400000" }),
        ("DOTNET_GCConserveMemory=5", new() { ["DOTNET_GCConserveMemory"] = "5" }),
        ("DOTNET_GCHeapHardLimit=0x4000000 (64 MiB)", new() { ["DOTNET_GCHeapHardLimit"] = "0x4000000" }),
        ("DOTNET_GCgen0MaxBudget=0x800000 (8 MiB; the Dockerfiles' setting before the segments GC)", new() { ["DOTNET_GCgen0MaxBudget"] = "0x800000" }),
        ("the Dockerfiles' settings: 8 MiB gen0 cap, DOTNET_GCName=libclrgc.so (segments GC), MALLOC_ARENA_MAX=2", new() { ["DOTNET_GCgen0MaxBudget"] = "0x800000", ["DOTNET_GCName"] = "libclrgc.so", ["MALLOC_ARENA_MAX"] = "2" }),
    ];

    /// <summary>
    /// <c>memory [active devices, 1000] [messages/s per device, 10] [idle devices, 10000] [seconds per active case, 45] [--only N,M] [--cases active|idle]</c>.
    /// <c>--only</c> picks variants by index (0 = runtime defaults); <c>PERSISTLOAD_GC_EXTRA</c>="NAME=VALUE;NAME=VALUE|NAME=VALUE"
    /// adds one more variant per '|'-separated combination to try; <c>PERSISTLOAD_BASELINE_MODULE</c> names another build, run as one
    /// more row (the code's before and after in one run): a MedTechEdge.dll of an earlier commit, or the executable of a
    /// self-contained publish (a trimmed one, say); with the runtime's defaults, or with <c>PERSISTLOAD_BASELINE_GC</c>
    /// (the same NAME=VALUE;… form).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int[]? only = null;
        string cases = "both";
        var numbers = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--only" && i + 1 < args.Length)
            {
                only = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            }
            else if (args[i] == "--cases" && i + 1 < args.Length)
            {
                cases = args[++i];
            }
            else
            {
                numbers.Add(args[i]);
            }
        }

        int active = numbers.Count > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 1_000;
        double rate = numbers.Count > 1 ? double.Parse(numbers[1], CultureInfo.InvariantCulture) : 10;
        int idle = numbers.Count > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 10_000;
        var activeSeconds = TimeSpan.FromSeconds(numbers.Count > 3 ? double.Parse(numbers[3], CultureInfo.InvariantCulture) : 45);

        var variants = new List<(string Name, string Dll, Dictionary<string, string> Environment)>();
        string dll = EventHubsIngestRun.ModuleDll(RepositoryRoot.Find());
        for (int i = 0; i < s_variants.Length; i++)
        {
            if (only is null || only.Contains(i))
            {
                variants.Add((s_variants[i].Name, dll, s_variants[i].Environment));
            }
        }

        // Each '|'-separated combination is one more variant, so several candidates share one run's baseline.
        foreach (string extra in (Environment.GetEnvironmentVariable("PERSISTLOAD_GC_EXTRA") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            variants.Add((extra.Replace(";", ", ", StringComparison.Ordinal), dll, ParseSettings(extra)));
        }

        if (Environment.GetEnvironmentVariable("PERSISTLOAD_BASELINE_MODULE") is { Length: > 0 } baseline)
        {
            string settings = Environment.GetEnvironmentVariable("PERSISTLOAD_BASELINE_GC") ?? "";
            variants.Add(("other build (PERSISTLOAD_BASELINE_MODULE), " + (settings.Length == 0 ? "runtime defaults" : settings.Replace(";", ", ", StringComparison.Ordinal)),
                File.Exists(baseline) ? baseline : throw new InvalidOperationException("No module at " + baseline), ParseSettings(settings)));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# Memory: {active:N0} devices x {rate} msg/s (QoS 1, paced; {activeSeconds.TotalSeconds:F0} s per case, steady state = the last two thirds), and {idle:N0} idle devices (Keep Alive 60 s; {s_idleSettle.TotalSeconds:F0} s to settle, then {IdleWindow(activeSeconds).TotalSeconds:F0} s); NDJSON sink; {Environment.ProcessorCount} cores; ulimit -n {OpenFileLimit()}; load {EventHubsIngestRun.LoadAverage()}"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var rows = new List<CaseResult>();

        // Warm-up: the page cache and this tool's own JIT, on a short case that is not reported.
        await ModuleCaseAsync(http, "warm-up", dll, [], Math.Min(active, 100), rate, 0, TimeSpan.FromSeconds(6));

        if (cases != "idle")
        {
            rows.Add(await MosquittoCaseAsync(http, active, rate, 0, activeSeconds));
            foreach (var variant in variants)
            {
                rows.Add(await ModuleCaseAsync(http, variant.Name, variant.Dll, variant.Environment, active, rate, 0, activeSeconds));
            }
        }

        if (cases != "active")
        {
            rows.Add(await MosquittoCaseAsync(http, 0, rate, idle, activeSeconds));
            foreach (var variant in variants)
            {
                rows.Add(await ModuleCaseAsync(http, variant.Name, variant.Dll, variant.Environment, 0, rate, idle, activeSeconds));
            }
        }

        PrintTable(rows, variants[0].Name);
        Console.WriteLine();
        Console.WriteLine($"Load average (1, 5, 15 min) at the end: {EventHubsIngestRun.LoadAverage()}.");
        return 0;
    }

    private static TimeSpan IdleWindow(TimeSpan activeSeconds) => activeSeconds / 3;

    private static Dictionary<string, string> ParseSettings(string settings) =>
        settings.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static async Task<CaseResult> MosquittoCaseAsync(HttpClient http, int active, double rate, int idle, TimeSpan activeSeconds)
    {
        await using MemoryMosquitto mosquitto = await MemoryMosquitto.StartAsync();
        return await MeasureAsync(http, "Mosquitto (persistence false)", mosquitto.ProcessId, null, mosquitto.Port, active, rate, idle, activeSeconds);
    }

    private static async Task<CaseResult> ModuleCaseAsync(HttpClient http, string name, string dll, Dictionary<string, string> environment, int active, double rate, int idle, TimeSpan activeSeconds)
    {
        await using ModuleProcess module = await ModuleProcess.StartAsync(dll, environment, [], mqtt: true);
        return await MeasureAsync(http, name, module.ProcessId, module, module.MqttPort, active, rate, idle, activeSeconds);
    }

    private static async Task<CaseResult> MeasureAsync(HttpClient http, string name, int pid, ModuleProcess? module, int port, int active, double rate, int idle, TimeSpan activeSeconds)
    {
        string load = EventHubsIngestRun.LoadAverage();
        await using var sampler = new MemorySampler(pid, module, http);
        bool isActive = active > 0;
        var connectClock = System.Diagnostics.Stopwatch.StartNew();
        await using MemoryFleet fleet = await MemoryFleet.ConnectAsync(port, isActive ? active : idle, isActive ? "mem" : "idle");
        TimeSpan connected = connectClock.Elapsed;
        if (fleet.ConnectFailure is { } failure)
        {
            Console.WriteLine($"# {name}: {fleet.Count:N0} of {(isActive ? active : idle):N0} devices connected; then {failure}");
        }
        TimeSpan start = sampler.Elapsed;
        TimeSpan windowStart;
        TimeSpan windowEnd;
        long acknowledgedAtWindow = 0;
        long acknowledgedAtEnd = 0;
        if (isActive)
        {
            using var stop = new CancellationTokenSource(activeSeconds);
            Task publishing = fleet.PublishAsync(rate, stop.Token);
            windowStart = start + (activeSeconds / 3);
            await WaitUntilAsync(sampler, windowStart);
            acknowledgedAtWindow = fleet.Acknowledged;
            await publishing;
            windowEnd = sampler.Elapsed;
            acknowledgedAtEnd = fleet.Acknowledged;
            await fleet.DrainAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            windowStart = start + s_idleSettle;
            windowEnd = windowStart + IdleWindow(activeSeconds);
            await WaitUntilAsync(sampler, windowEnd + TimeSpan.FromSeconds(0.5));
        }

        // A module that died (a heap hard limit it could not live within) is a finding, not a failed run: its row says so.
        string? exited = module is { HasExited: true } ? MemoryLimitRun.Reason(module.Output) : null;
        if (exited is not null)
        {
            Console.WriteLine($"# {name}: the module exited: {exited}");
        }

        List<MemorySampler.Sample> window = sampler.Since(windowStart).Where(s => s.At <= windowEnd + TimeSpan.FromSeconds(0.5)).ToList();
        List<MemorySampler.Sample> all = sampler.Since(TimeSpan.Zero);
        if (window.Count < 2)
        {
            // The process ended before the window: what it held before is all there is to report.
            window = all.Count >= 2 ? all : [new MemorySampler.Sample(TimeSpan.Zero, 0, 0, TimeSpan.Zero, 0, 0, 0, 0), new MemorySampler.Sample(TimeSpan.FromSeconds(1), 0, 0, TimeSpan.Zero, 0, 0, 0, 0)];
        }

        double seconds = (window[^1].At - window[0].At).TotalSeconds;
        var result = new CaseResult(
            name,
            (isActive ? string.Create(CultureInfo.InvariantCulture, $"{active:N0} x {rate} msg/s") : string.Create(CultureInfo.InvariantCulture, $"{idle:N0} idle"))
                + (fleet.ConnectFailure is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (only {fleet.Count:N0} connected)")),
            MemorySampler.Median(window.Select(s => s.RssBytes)),
            window.Max(s => s.RssBytes),
            all.Count == 0 ? 0 : all.Max(s => s.RssBytes),
            MemorySampler.Median(window.Select(s => s.AnonBytes)),
            MemorySampler.Median(window.Select(s => s.ShmemBytes)),
            window[^1].Threads,
            module is null ? double.NaN : MemorySampler.Median(window.Select(s => s.GcHeapBytes)),
            isActive ? active * rate : 0,
            isActive ? (acknowledgedAtEnd - acknowledgedAtWindow) / (windowEnd - windowStart).TotalSeconds : 0,
            module is null ? double.NaN : (window[^1].Written - window[0].Written) / seconds,
            (window[^1].Cpu - window[0].Cpu).TotalSeconds / seconds,
            module is null ? 0 : window[^1].Backlog,
            fleet.Skipped + fleet.Refused,
            connected,
            load,
            exited);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {result.Name}, {result.Case}: RSS median {Mb(result.RssMedian)} MB, max {Mb(result.RssMax)} MB (whole case {Mb(result.RssMaxWhole)} MB), anonymous {Mb(result.AnonMedian)} MB, double-mapped {Mb(result.ShmemMedian)} MB, {result.Threads} threads, GC heap {Mb(result.GcHeapMedian)} MB; acknowledged {result.AckedPerSecond:N0}/s of {result.OfferedPerSecond:N0}/s, written {(double.IsNaN(result.WrittenPerSecond) ? "—" : result.WrittenPerSecond.ToString("N0", CultureInfo.InvariantCulture))}/s, CPU {result.Cores:F2} cores, backlog {result.Backlog:N0}, not acknowledged {result.Lost:N0}; {fleet.Count:N0} connected in {connected.TotalSeconds:F1} s; load {load}"));
        return result;
    }

    private static async Task WaitUntilAsync(MemorySampler sampler, TimeSpan at)
    {
        TimeSpan wait = at - sampler.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    private static void PrintTable(List<CaseResult> rows, string baselineName)
    {
        Console.WriteLine();
        Console.WriteLine("| Broker, GC settings | Devices | RSS median MB | ÷ defaults | RSS max MB | of which anonymous, median MB | of which double-mapped code (RssShmem), MB | Threads | GC heap after last GC, median MB | Acknowledged msg/s (offered) | Written resources/s | CPU cores | CPU µs per acknowledged message | Backlog at end | Not acknowledged | Load at start |");
        // A row whose module exited has its name marked, and the reason printed above the table.
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (CaseResult row in rows)
        {
            CaseResult? baseline = rows.FirstOrDefault(r => r.Name == baselineName && r.Case == row.Case);
            string ratio = baseline is null ? "—" : (row.RssMedian / baseline.RssMedian).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name}{(row.Exited is null ? "" : " (**exited**: " + row.Exited + ")")} | {row.Case} | {Mb(row.RssMedian)} | {ratio} | {Mb(row.RssMax)} | {Mb(row.AnonMedian)} | {Mb(row.ShmemMedian)} | {row.Threads} | {Mb(row.GcHeapMedian)} | {(row.OfferedPerSecond > 0 ? $"{row.AckedPerSecond:N0} ({row.OfferedPerSecond:N0})" : "—")} | {(double.IsNaN(row.WrittenPerSecond) ? "—" : row.WrittenPerSecond.ToString("N0", CultureInfo.InvariantCulture))} | {row.Cores:F2} | {(row.AckedPerSecond > 0 ? (row.Cores * 1e6 / row.AckedPerSecond).ToString("F0", CultureInfo.InvariantCulture) : "—")} | {row.Backlog:N0} | {row.Lost:N0} | {row.Load} |"));
        }
    }

    private static string Mb(double bytes) => double.IsNaN(bytes) ? "—" : (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);

    private static string OpenFileLimit()
    {
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
            }
        }

        return "?";
    }

    private sealed record CaseResult(string Name, string Case, double RssMedian, long RssMax, long RssMaxWhole, double AnonMedian, double ShmemMedian, int Threads, double GcHeapMedian, double OfferedPerSecond, double AckedPerSecond, double WrittenPerSecond, double Cores, long Backlog, long Lost, TimeSpan Connected, string Load, string? Exited);
}
