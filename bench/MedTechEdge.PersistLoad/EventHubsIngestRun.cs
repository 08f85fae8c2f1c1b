using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>eventhubs</c> mode (issue 13, item 6): events consumed from a 6-partition hub and delivered to the FHIR peer per
/// second by 1, 2 and 3 module processes, with the modules' CPU time per event, against two baselines of the same run:
/// the peer's ceiling (the direct loader, before and after the module cases, since the node peer drifts) and the
/// module's CPU per message on the MQTT ingest path (the same device messages published at QoS 1 into one module).
/// </summary>
/// <remarks>
/// The hub is the in-process AMQP peer with every event appended before the first case: the drain of a backlog, as after
/// an outage or a scale-out. Each case reads it from the start through a consumer group of its own and a fresh FHIR
/// peer; the clock runs from launching the module processes until the peer holds every Observation, so start-up,
/// partition claiming and the last stragglers count, as an operator would see them. The modules' CPU is their whole
/// processes' (start-up included) from /proc; the peers' CPU is shown beside it, because on two cores the module, node
/// and this tool's AMQP peer share the machine.
/// </remarks>
internal sealed class EventHubsIngestRun
{
    private const int Partitions = 6;
    private const int BundleSize = 100;
    private const int InFlight = 4;

    // The module's listener grants 64 publishes in flight per connection (MqttServerOptions.ReceiveMaximum).
    private const int MqttWindow = 64;

    private static readonly TimeSpan s_caseDeadline = TimeSpan.FromMinutes(15);

    private readonly string _moduleDll;
    private readonly PeerHost _peer;
    private readonly FhirClient _fhir;
    private readonly HttpClient _http;
    private readonly FhirMapping _fhirMapping;
    private readonly EventHubsAmqpPeer _hub;
    private readonly CheckpointContainers _checkpoints;
    private readonly Process? _fhirPeerProcess;
    private readonly TimeSpan? _loadBalancingInterval;
    private readonly string[] _moduleArgs;

    // PERSISTLOAD_SQLITE_ONLY=1: the SQLite case against its baselines only, for a quick look at one change.
    private readonly bool _onlySqlite = Environment.GetEnvironmentVariable("PERSISTLOAD_SQLITE_ONLY") == "1";

    private EventHubsIngestRun(string moduleDll, PeerHost peer, HttpClient http, FhirMapping fhirMapping, EventHubsAmqpPeer hub, CheckpointContainers checkpoints, TimeSpan? loadBalancingInterval, string[] moduleArgs)
    {
        _moduleDll = moduleDll;
        _peer = peer;
        _http = http;
        _fhir = new FhirClient(http, peer.Fixture.BaseUrl);
        _fhirMapping = fhirMapping;
        _hub = hub;
        _checkpoints = checkpoints;
        _loadBalancingInterval = loadBalancingInterval;
        _moduleArgs = moduleArgs;
        _fhirPeerProcess = PeerProcesses.Find("fhir-peer.mjs");
    }

    /// <summary>
    /// <c>eventhubs [events, default 100000] [load-balancing interval in seconds, default the module's (the SDK's 10 s)] [--MedTechEdge:…=… …]</c>:
    /// settings after the numbers go to every module process, to try one (e.g. <c>--MedTechEdge:EventHubIngress:MaxBatchSize=500</c>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string[] moduleArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        int events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        TimeSpan? interval = args.Length > 1 ? TimeSpan.FromSeconds(double.Parse(args[1], CultureInfo.InvariantCulture)) : null;
        string root = RepositoryRoot.Find();
        FhirMapping fhirMapping = FhirMapping.Load(File.ReadAllText(Path.Combine(root, "modules", "MedTechEdge", "mappings", "fhirmapping.json")));

        await using var peer = new PeerHost();
        await peer.Fixture.InitializeAsync();
        await using CheckpointContainers checkpoints = await CheckpointContainers.StartAsync();
        string[] cases = ["warm", "sqlite-1", "blob-2", "blob-3", "blob-1"];
        using var hub = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = Partitions, ConsumerGroups = ["$Default", .. cases] });
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var run = new EventHubsIngestRun(ModuleDll(root), peer, http, fhirMapping, hub, checkpoints, interval, moduleArgs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# Event Hubs ingest to the FHIR peer: {events:N0} events on {Partitions} partitions ({BenchDeviceMessages.Devices} devices, 1 Observation each), Bundles of {BundleSize}, {InFlight} in flight; load-balancing interval {(interval is { } every ? every.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : "the module's default")}; {Environment.ProcessorCount} cores; load {LoadAverage()}{(moduleArgs.Length > 0 ? "; module settings " + string.Join(' ', moduleArgs) : "")}"));
        return await run.RunCasesAsync(events);
    }

    private async Task<int> RunCasesAsync(int events)
    {
        AppendBacklog(events);

        // Warm-up: node's JIT on both kinds of writes, and the module's files in the page cache.
        await DirectAsync("warm-up", 2_000, "warm");
        await MqttAsync("warm-up", 2_000, "warm");

        // The direct loader first and last, the MQTT baseline in the middle: the peer drifts over a run, and this order
        // gives the ceiling both ends and keeps the baseline away from either.
        CaseResult direct1 = await DirectAsync("direct loader (1)", events, "direct1");
        CaseResult? sqlite1 = await EventHubAsync("1 instance, SQLite checkpoints", 1, "sqlite-1", blob: false);
        CaseResult? blob2 = _onlySqlite ? null : await EventHubAsync("2 instances, Blob checkpoints (Azurite)", 2, "blob-2", blob: true);
        CaseResult mqtt = await MqttAsync("MQTT ingest, 1 instance (baseline)", events, "mqtt");
        CaseResult? blob3 = _onlySqlite ? null : await EventHubAsync("3 instances, Blob checkpoints (Azurite)", 3, "blob-3", blob: true);
        CaseResult? blob1 = _onlySqlite ? null : await EventHubAsync("1 instance, Blob checkpoints (Azurite)", 1, "blob-1", blob: true);
        CaseResult direct2 = await DirectAsync("direct loader (2)", events, "direct2");

        double ceiling = (direct1.Rate + direct2.Rate) / 2;
        double mqttCpu = mqtt.CpuMicrosPerEvent;
        Console.WriteLine();
        // The last three columns are CPU seconds per second of the case: how much of the two cores each party kept busy.
        // CPU per event twice: the whole run's (start-up and the JIT's warm-up included, as a short run pays them), and
        // without the JIT's compile time, which a long-running module pays once.
        Console.WriteLine("| Path | Events/s | ÷ direct loader | Module CPU µs per event | ÷ MQTT | of which JIT µs | Without JIT µs per event | ÷ MQTT without JIT | Module CPU (cores) | FHIR peer CPU (cores) | All of this run's processes (cores) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Direct loader, pre-built Bundles (the peer's ceiling; mean of {direct1.Rate:N0} and {direct2.Rate:N0}) | {ceiling:N0} | 1.00 | — | — | — | — | — | — | {(direct1.PeerCores + direct2.PeerCores) / 2:F2} | {(direct1.AllCores + direct2.AllCores) / 2:F2} |"));
        foreach (CaseResult? result in new[] { mqtt, sqlite1, blob1, blob2, blob3 })
        {
            if (result is null)
            {
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Path} | {result.Rate:N0} | {result.Rate / ceiling:F2} | {result.CpuMicrosPerEvent:N0} | {result.CpuMicrosPerEvent / mqttCpu:F2} | {result.JitMicrosPerEvent:N0} | {result.WarmCpuMicrosPerEvent:N0} | {result.WarmCpuMicrosPerEvent / mqtt.WarmCpuMicrosPerEvent:F2} | {result.ModuleCores:F2} | {result.PeerCores:F2} | {result.AllCores:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"Load average (1, 5, 15 min) at the start of the first case {direct1.LoadBefore}; at the end of the last {direct2.LoadAfter}.");
        return 0;
    }

    /// <summary>
    /// The backlog: every event appended before any case, each device's events on one partition in order (partition key =
    /// device id), the 50 devices spread evenly over the partitions (9, 9, 8, 8, 8, 8) so that no instance count is
    /// favoured by the peer's own key hash.
    /// </summary>
    private void AppendBacklog(int events)
    {
        const string Run = "eh";
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < events; i++)
        {
            string device = BenchDeviceMessages.DeviceId(Run, i);
            _hub.Append(
                BenchDeviceMessages.DeviceIndex(i) % Partitions,
                BenchDeviceMessages.Body(Run, i),
                annotations: new Dictionary<string, object?> { ["x-opt-partition-key"] = device },
                contentType: "application/json");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# appended {events:N0} events in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private async Task<CaseResult> DirectAsync(string path, int count, string run)
    {
        await _peer.Fixture.ResetAsync();
        await DirectLoader.SeedAsync(_fhir);
        var observations = DirectLoader.Observations(_fhirMapping, count, run);
        var sample = Take();
        await DirectLoader.LoadAsync(_fhir, observations, BundleSize, InFlight);
        return Report(path, count, Since(sample, TimeSpan.Zero));
    }

    private async Task<CaseResult> MqttAsync(string path, int count, string run)
    {
        await _peer.Fixture.ResetAsync();
        var sample = Take();
        await using ModuleProcess module = await ModuleProcess.StartAsync(_moduleDll, ModuleEnvironment(), _moduleArgs, mqtt: true);
        Task publish = DevicePublisher.PublishAsync(module.MqttPort, run, count, MqttWindow);
        await WaitForObservationsAsync([module], count, publish);
        await publish;
        TimeSpan cpu = module.ProcessorTime;
        ModuleScrape scrape = await module.ScrapeAsync(_http);
        return Report(path, count, Since(sample, cpu), string.Create(CultureInfo.InvariantCulture, $"published over 1 connection, {MqttWindow} in flight; module start-up CPU {module.StartupProcessorTime.TotalSeconds:F1} s, JIT {scrape.Jit.TotalSeconds:F1} s"), scrape.Jit);
    }

    /// <summary>Runs one Event Hubs case; null (and a line saying why) when the module refuses its settings.</summary>
    private async Task<CaseResult?> EventHubAsync(string path, int instances, string consumerGroup, bool blob)
    {
        try
        {
            return await EventHubCaseAsync(path, instances, consumerGroup, blob);
        }
        catch (ModuleStartException ex)
        {
            // A build of the module without this checkpoint store: the other cases still mean something.
            Console.WriteLine($"# {path}: not run, the module did not start: {ex.Reason}");
            return null;
        }
    }

    private async Task<CaseResult> EventHubCaseAsync(string path, int instances, string consumerGroup, bool blob)
    {
        int count = _hub.Events.Count;
        await _peer.Fixture.ResetAsync();
        Dictionary<string, string> environment = ModuleEnvironment();
        environment["MedTechEdge__Mqtt__Enabled"] = "false";
        environment["MedTechEdge__EventHubIngress__Enabled"] = "true";
        environment["MedTechEdge__EventHubIngress__ConnectionString"] = _hub.ConnectionString;
        environment["MedTechEdge__EventHubIngress__ConsumerGroup"] = consumerGroup;
        environment["MedTechEdge__EventHubIngress__StartPosition"] = "Earliest";
        if (_loadBalancingInterval is { } interval)
        {
            environment["MedTechEdge__EventHubIngress__LoadBalancingInterval"] = interval.ToString("c", CultureInfo.InvariantCulture);
        }
        environment["MedTechEdge__EventHubIngress__CheckpointStore"] = blob ? "Blob" : "Sqlite";
        if (blob)
        {
            // A container of its own per case: no ownership or checkpoint of an earlier case is seen.
            environment["MedTechEdge__EventHubIngress__Blob__ConnectionString"] = _checkpoints.ConnectionString;
            environment["MedTechEdge__EventHubIngress__Blob__ContainerName"] = await _checkpoints.CreateAsync("checkpoints-" + consumerGroup);
        }

        var sample = Take();
        var modules = new List<ModuleProcess>();
        try
        {
            // Launched together, as an orchestrator starts replicas; each claims partitions as the SDK balances them.
            modules.AddRange(await Task.WhenAll(Enumerable.Range(0, instances).Select(_ =>
                ModuleProcess.StartAsync(_moduleDll, environment, _moduleArgs, mqtt: false))));
            await WaitForObservationsAsync(modules, count, driver: null);
            TimeSpan cpu = TimeSpan.Zero;
            TimeSpan jit = TimeSpan.Zero;
            var shares = new List<string>();
            foreach (ModuleProcess module in modules)
            {
                cpu += module.ProcessorTime;
                ModuleScrape scrape = await module.ScrapeAsync(_http);
                jit += scrape.Jit;
                shares.Add(string.Create(CultureInfo.InvariantCulture, $"{scrape.EventsReceived:N0} events, {scrape.PartitionsOwned} partitions owned at the end, CPU {module.ProcessorTime.TotalSeconds:F1} s (start-up {module.StartupProcessorTime.TotalSeconds:F1} s, JIT {scrape.Jit.TotalSeconds:F1} s)"));
            }

            return Report(path, count, Since(sample, cpu), string.Join("; ", shares), jit);
        }
        finally
        {
            foreach (ModuleProcess module in modules)
            {
                await module.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Waits until the modules have had every Observation of <paramref name="count"/> messages, with the Patient and
    /// Device of each device, confirmed as new (201) by the peer, then checks the peer's own count.
    /// </summary>
    private async Task WaitForObservationsAsync(IReadOnlyList<ModuleProcess> modules, int count, Task? driver)
    {
        long expected = count + (2L * Math.Min(count, BenchDeviceMessages.Devices));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            long created = 0;
            foreach (ModuleProcess module in modules)
            {
                if (module.HasExited)
                {
                    throw new InvalidOperationException("A module exited during the case:\n" + module.Output);
                }

                ModuleScrape scrape = await module.ScrapeAsync(_http);
                if (scrape.DeadLetters > 0)
                {
                    throw new InvalidOperationException("The bench messages were dead-lettered:\n" + module.Output);
                }

                created += scrape.Created;
            }

            if (created >= expected)
            {
                break;
            }

            if (driver is { IsFaulted: true })
            {
                await driver;
            }

            if (deadline.Elapsed > s_caseDeadline)
            {
                throw new TimeoutException($"{created:N0} of {expected:N0} resources after {s_caseDeadline}:\n" + string.Join("\n---\n", modules.Select(m => m.Output)));
            }

            // A scrape is not free for the module: its store gauges COUNT(*) the inbox, which holds most of the backlog
            // while the hub drains into it (at a 250 ms period that was a quarter of an instance's CPU). So every 2 s
            // while more than 5 % is missing, then every 100 ms, which keeps the clock's overshoot under 0.2 % of a
            // 100,000-event case.
            await Task.Delay(expected - created > expected / 20 ? 2_000 : 100);
        }

        long onPeer = await CountObservationsAsync();
        if (onPeer != count)
        {
            throw new InvalidOperationException($"The peer holds {onPeer:N0} Observations, not {count:N0}.");
        }
    }

    private async Task<long> CountObservationsAsync()
    {
        using JsonDocument bundle = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_peer.Fixture.BaseUrl, "Observation?_summary=count")));
        return bundle.RootElement.GetProperty("total").GetInt64();
    }

    private CpuSample Take() => CpuSample.Take(_fhirPeerProcess, _checkpoints.Process);

    private CpuSample.Delta Since(CpuSample sample, TimeSpan module) => sample.Since(_fhirPeerProcess, _checkpoints.Process, module);

    private Dictionary<string, string> ModuleEnvironment() => new()
    {
        ["MedTechEdge__Fhir__Url"] = _peer.Fixture.BaseUrl.ToString(),
        ["MedTechEdge__Pipeline__PersistBatchSize"] = BundleSize.ToString(CultureInfo.InvariantCulture),
        ["MedTechEdge__Pipeline__PersistConcurrency"] = InFlight.ToString(CultureInfo.InvariantCulture),
    };

    private static CaseResult Report(string path, int count, CpuSample.Delta cpu, string? detail = null, TimeSpan jit = default)
    {
        var result = new CaseResult(path, count, cpu, jit);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {path}: {count:N0} in {cpu.Elapsed.TotalSeconds:F1} s = {result.Rate:N0}/s; module CPU {cpu.Module.TotalSeconds:F1} s ({result.CpuMicrosPerEvent:N0} µs/event), FHIR peer {cpu.Peer.TotalSeconds:F1} s, Azurite {cpu.Azurite.TotalSeconds:F1} s, this tool {cpu.Tool.TotalSeconds:F1} s; load {cpu.LoadBefore} → {cpu.LoadAfter}"));
        if (detail is not null)
        {
            Console.WriteLine("#   " + detail);
        }

        return result;
    }

    /// <summary>
    /// The module as the images ship it: published for linux-x64 with the Dockerfiles' settings (self-contained and
    /// trimmed, ReadyToRun from the project file), into this tool's own folder; the path of its executable. A build
    /// output would be measured with every method JIT-compiled from IL, a warm-up the shipped module does not pay.
    /// <c>PERSISTLOAD_MODULE</c> names another build instead (a MedTechEdge.dll, framework-dependent, or a
    /// self-contained executable: an earlier publish, a build output, to compare).
    /// </summary>
    internal static string ModuleDll(string root)
    {
        if (Environment.GetEnvironmentVariable("PERSISTLOAD_MODULE") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException("No module at " + given);
        }

        string project = Path.Combine(root, "modules", "MedTechEdge", "MedTechEdge.csproj");
        return StartupVariant.Shipped.Publish(project, Path.Combine(AppContext.BaseDirectory, "published-module"), "MedTechEdge").Entry;
    }

    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>One case's figures.</summary>
    /// <param name="Jit">The modules' JIT compile time at the end: a one-time warm-up inside <see cref="CpuSample.Delta.Module"/>.</param>
    private sealed record CaseResult(string Path, int Events, CpuSample.Delta Cpu, TimeSpan Jit)
    {
        public double Rate => Events / Cpu.Elapsed.TotalSeconds;

        public double CpuMicrosPerEvent => Cpu.Module.TotalMicroseconds / Events;

        public double JitMicrosPerEvent => Jit.TotalMicroseconds / Events;

        /// <summary>What each event costs once the code is compiled: the figure for a module that runs for weeks.</summary>
        public double WarmCpuMicrosPerEvent => CpuMicrosPerEvent - JitMicrosPerEvent;

        public double ModuleCores => Cpu.Module / Cpu.Elapsed;

        public double PeerCores => Cpu.Peer / Cpu.Elapsed;

        public double AllCores => (Cpu.Module + Cpu.Peer + Cpu.Azurite + Cpu.Tool) / Cpu.Elapsed;

        public string LoadBefore => Cpu.LoadBefore;

        public string LoadAfter => Cpu.LoadAfter;
    }
}
