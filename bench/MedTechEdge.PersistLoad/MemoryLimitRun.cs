using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>memory-limit</c> mode (issue 16 §3, "what happens at that limit"): the module under a GC heap hard limit
/// (<c>DOTNET_GCHeapHardLimit</c>) too small for its load, so the heap fills: active devices publishing, and idle ones
/// connecting meanwhile (each connection's objects live on the heap). It reports what the module does (exits, refuses, slows
/// down, how often the GC runs), then checks the durability contract: after the load stops, and after a restart
/// without the limit when the module died, every message a device had acknowledged must reach the NDJSON output.
/// </summary>
internal static class MemoryLimitRun
{
    private static readonly TimeSpan s_load = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(120);

    /// <summary><c>memory-limit [limits in MiB, default 128,80] [idle devices, 10000] [active devices, 1000] [msg/s each, 10]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int[] limits = args.Length > 0 ? args[0].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [128, 80];
        int idle = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        int active = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
        double rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        string dll = EventHubsIngestRun.ModuleDll(RepositoryRoot.Find());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# Memory limit: {active:N0} devices x {rate} msg/s for {s_load.TotalSeconds:F0} s, {idle:N0} idle devices connecting under that load, under DOTNET_GCHeapHardLimit of {string.Join(", ", limits)} MiB and without one; NDJSON sink{(Environment.GetEnvironmentVariable("PERSISTLOAD_GC_EXTRA") is { Length: > 0 } extra ? "; every case with " + extra : "")}; load {EventHubsIngestRun.LoadAverage()}"));
        var rows = new List<string>();
        foreach (int? limit in limits.Select(l => (int?)l).Prepend(null))
        {
            rows.Add(await CaseAsync(http, dll, limit, idle, active, rate));
        }

        Console.WriteLine();
        Console.WriteLine("| Heap hard limit | Idle connected | Acknowledged msg/s (offered) | Not acknowledged | RSS max MB | GC heap max MB | CPU cores | Module | Acknowledged | In the output after the drain | Lost | Load at start |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine($"Load average (1, 5, 15 min) at the end: {EventHubsIngestRun.LoadAverage()}.");
        return 0;
    }

    private static async Task<string> CaseAsync(HttpClient http, string dll, int? limitMiB, int idle, int active, double rate)
    {
        string load = EventHubsIngestRun.LoadAverage();
        string name = limitMiB is { } mib ? mib.ToString(CultureInfo.InvariantCulture) + " MiB" : "none";
        // PERSISTLOAD_GC_EXTRA="NAME=VALUE;NAME=VALUE" (one combination) rides every case: the images' GC settings, say,
        // so the limit is met by the collector the images ship.
        var environment = (Environment.GetEnvironmentVariable("PERSISTLOAD_GC_EXTRA") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (limitMiB is { } limit)
        {
            environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)limit * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        }

        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-bench-limit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string outcome;
            long acknowledged;
            long notAcknowledged;
            int connectedIdle = 0;
            double ackedPerSecond;
            double cores;
            long rssMax;
            long heapMax;
            await using (ModuleProcess module = await ModuleProcess.StartAsync(dll, environment, [], mqtt: true, folder))
            {
                await using var sampler = new MemorySampler(module.ProcessId, module, http);
                MemoryFleet? idleFleet = null;
                MemoryFleet? fleet = null;
                TimeSpan started = sampler.Elapsed;
                try
                {
                    // The active devices first, publishing; then the idle ones connect under that load, so the heap fills
                    // while messages are in flight: the moment the durability contract is for.
                    fleet = await MemoryFleet.ConnectAsync(module.MqttPort, active, "mem");
                    using var stop = new CancellationTokenSource(s_load);
                    Task publishing = fleet.PublishAsync(rate, stop.Token);
                    idleFleet = await MemoryFleet.ConnectAsync(module.MqttPort, idle, "idle");
                    connectedIdle = idleFleet.Count;
                    if (idleFleet.ConnectFailure is { } failure)
                    {
                        Console.WriteLine($"# {name}: {idleFleet.Count:N0} of {idle:N0} idle devices connected; then {failure}");
                    }

                    await publishing;
                    await fleet.DrainAsync(TimeSpan.FromSeconds(15));
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    Console.WriteLine($"# {name}: the devices failed: {ex.Message}");
                }

                List<MemorySampler.Sample> samples = sampler.Since(started);
                TimeSpan elapsed = sampler.Elapsed - started;
                acknowledged = fleet?.Acknowledged ?? 0;
                notAcknowledged = fleet is null ? 0 : fleet.Skipped + fleet.Refused;
                ackedPerSecond = acknowledged / elapsed.TotalSeconds;
                cores = samples.Count > 1 ? (samples[^1].Cpu - samples[0].Cpu).TotalSeconds / (samples[^1].At - samples[0].At).TotalSeconds : double.NaN;
                rssMax = samples.Count > 0 ? samples.Max(s => s.RssBytes) : 0;
                heapMax = samples.Count > 0 ? samples.Max(s => s.GcHeapBytes) : 0;
                if (fleet is not null)
                {
                    await fleet.DisposeAsync();
                }

                if (idleFleet is not null)
                {
                    await idleFleet.DisposeAsync();
                }

                outcome = module.HasExited ? "exited: " + Reason(module.Output) : await DrainAsync(http, module) ? "kept running" : "kept running, did not drain in " + s_drain.TotalSeconds + " s";
                if (!module.HasExited)
                {
                    Console.WriteLine($"# {name}: warnings and errors the module logged:\n{Errors(module.Output)}");
                }
                else
                {
                    Console.WriteLine($"# {name}: the module's last lines:\n{module.Output}");
                }
            }

            if (outcome.StartsWith("exited", StringComparison.Ordinal))
            {
                // The contract after a crash: a restart (without the limit) delivers everything that was acknowledged.
                await using ModuleProcess restarted = await ModuleProcess.StartAsync(dll, new Dictionary<string, string>(), [], mqtt: true, folder);
                outcome += await DrainAsync(http, restarted) ? "; restarted without the limit, drained" : "; restarted, did not drain";
            }

            long delivered = CountMessages(Path.Combine(folder, "data", "fhir", "Observation.ndjson"));
            string row = string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {connectedIdle:N0} | {ackedPerSecond:N0} ({active * rate:N0}) | {notAcknowledged:N0} | {rssMax / 1048576.0:F1} | {heapMax / 1048576.0:F1} | {cores:F2} | {outcome} | {acknowledged:N0} | {delivered:N0} | {Math.Max(0, acknowledged - delivered):N0} | {load} |");
            Console.WriteLine("# " + row);
            return row;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Waits until the module's store holds nothing undelivered; false after <see cref="s_drain"/>.</summary>
    private static async Task<bool> DrainAsync(HttpClient http, ModuleProcess module)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < s_drain && !module.HasExited)
        {
            try
            {
                ModuleScrape scrape = await module.ScrapeAsync(http);
                if (scrape.Sum("medtechedge_store_up", null) == 1 && scrape.Sum("medtechedge_backlog_rows", "table=\"inbox\"") == 0 && scrape.Sum("medtechedge_backlog_rows", "table=\"outbox\"") == 0)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Too busy to answer this once, or gone (the loop's condition says which).
            }

            await Task.Delay(1000);
        }

        return false;
    }

    /// <summary>Distinct Observations in the NDJSON output: each acknowledged message is one, a resend the same one.</summary>
    private static long CountMessages(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                using JsonDocument resource = JsonDocument.Parse(line);
                ids.Add(resource.RootElement.GetProperty("id").GetString()!);
            }
        }

        return ids.Count;
    }

    /// <summary>Why a module ended, in a few words: the runtime's fatal "Out of memory.", else its last line (cut short).</summary>
    internal static string Reason(string output)
    {
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int handled = lines.Count(l => l.Contains("System.OutOfMemoryException", StringComparison.Ordinal));
        string last = lines.Any(l => l == "Out of memory.") ? "Out of memory." : lines.LastOrDefault() ?? "no output";
        last = last.Length > 120 ? last[..120] + "…" : last;
        return handled > 0 ? $"{last} ({handled} OutOfMemoryException(s) logged before)" : last;
    }

    private static string Errors(string output) => string.Join('\n', output.Split('\n').Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("warn:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).Take(20));
}
