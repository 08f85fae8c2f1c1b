using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.PersistLoad;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- [device messages, default 100000] [naive PUTs, default 1000] [Bundle size, default 100]
//    or: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- eventhubs [events, default 100000] [load-balancing interval, s, default 1]
//    or: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- memory [active devices, 1000] [msg/s each, 10] [idle devices, 10000] [s per case, 45]
//    or: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- memory-limit [limits in MiB, 128,80] [idle devices, 10000] [active devices, 1000] [msg/s each, 10]
//    or: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- latency [seconds per case, default 20] [cases, default fhir,ndjson,sampled,checkpoint]
//    or: dotnet run -c Release --project bench/MedTechEdge.PersistLoad -- startup [starts per case, default 7] [backlog rows, default 100000] [variant keys]
// One FHIR peer (tests/peers/fhir-server), emptied before each case. Rates of the direct loader and the module are the
// means of two runs each. Every case writes new Observations of the same
// shape (one heart-rate Quantity each), four requests in flight unless it says otherwise. Two links to the peer:
// loopback, and loopback through a relay adding 10 ms each way (a 20 ms round trip, as from a gateway to a cloud
// FHIR service).
if (args.Length > 0 && args[0] == "eventhubs")
{
    // Issue 13: Event Hubs ingest by 1, 2 and 3 module processes (EventHubsIngestRun).
    return await EventHubsIngestRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "memory")
{
    // Issue 16 §3: resident memory under load and with idle devices, per GC setting (MemoryRun).
    return await MemoryRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "memory-limit")
{
    // Issue 16 §3: the module under a GC heap hard limit too small for its load, and the durability contract there.
    return await MemoryLimitRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "latency")
{
    // Issue 16 §2: device publish → Observation accepted, 1,000 devices (LatencyRun).
    return await LatencyRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "startup")
{
    // Issue 16, item 4: the published module's start to /readyz 200 on a backlog, per way of publishing (StartupRun).
    return await StartupRun.RunAsync(args[1..]);
}

int messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
int naiveCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
int bundleSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
const int InFlight = 4;

string root = RepositoryRoot.Find();
FhirMapping fhirMapping = FhirMapping.Load(File.ReadAllText(Path.Combine(root, "modules", "MedTechEdge", "mappings", "fhirmapping.json")));
DeviceMapping deviceMapping = DeviceMapping.Load(File.ReadAllText(Path.Combine(root, "modules", "MedTechEdge", "mappings", "devicecontent.json")));
await using var peer = new PeerHost();
await peer.Fixture.InitializeAsync();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
Console.WriteLine($"# Persistence to the FHIR peer: {messages:N0} device messages (1 Observation each, {BenchDeviceMessages.Devices} devices), Bundles of {bundleSize}, {InFlight} requests in flight; load {File.ReadAllText("/proc/loadavg").Trim()}");
var rows = new List<string>();

await using (var wan = new LatencyProxy(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, peer.Fixture.BaseUrl.Port), TimeSpan.FromMilliseconds(10)))
{
    var loopback = new FhirClient(http, peer.Fixture.BaseUrl);
    var remote = new FhirClient(http, new UriBuilder(peer.Fixture.BaseUrl) { Port = wan.Port }.Uri);

    // Warm-up: node's JIT and ours, on a small run of each path.
    await DirectLoader.SeedAsync(loopback);
    await DirectLoader.LoadAsync(loopback, fhirMapping, 2_000, "warm", bundleSize, InFlight);
    await NaivePutsAsync(loopback, DirectLoader.Observations(fhirMapping, 500, "warm2"), InFlight);
    await ModuleDrainAsync(loopback, deviceMapping, fhirMapping, 2_000, bundleSize, "warm3");

    foreach ((string link, FhirClient client) in new[] { ("loopback", loopback), ("20 ms round trip", remote) })
    {
        // Direct and module twice each, in the order direct, module, module, direct: the peer drifts over a run (node's
        // heap, the shared machine), and this order gives both the same share of early and late.
        double direct1 = await Case(client, $"{link}: direct loader (1)", messages, async () =>
            await DirectLoader.LoadAsync(client, fhirMapping, messages, "direct1", bundleSize, InFlight));
        double module1 = await Case(client, $"{link}: module drains {messages:N0} buffered device messages (1)", messages, async () =>
            await ModuleDrainAsync(client, deviceMapping, fhirMapping, messages, bundleSize, "module1"));
        double module2 = await Case(client, $"{link}: module drains {messages:N0} buffered device messages (2)", messages, async () =>
            await ModuleDrainAsync(client, deviceMapping, fhirMapping, messages, bundleSize, "module2"));
        double direct2 = await Case(client, $"{link}: direct loader (2)", messages, async () =>
            await DirectLoader.LoadAsync(client, fhirMapping, messages, "direct2", bundleSize, InFlight));
        double naive = await Case(client, $"{link}: naive, one PUT per Observation, one at a time", naiveCount, async () =>
            await NaivePutsAsync(client, DirectLoader.Observations(fhirMapping, naiveCount, "naive"), 1));
        double naiveParallel = await Case(client, $"{link}: one PUT per Observation, {InFlight} in flight", naiveCount, async () =>
            await NaivePutsAsync(client, DirectLoader.Observations(fhirMapping, naiveCount, "naive4"), InFlight));
        double direct = (direct1 + direct2) / 2;
        double module = (module1 + module2) / 2;
        Row(link, "Direct loader, pre-built Bundles (the peer's ceiling)", direct, direct, naive);
        Row(link, "Naive: one PUT each, one at a time", naive, direct, naive);
        Row(link, $"One PUT each, {InFlight} in flight", naiveParallel, direct, naive);
        Row(link, "**Module**: Map + Persist drain after an outage", module, direct, naive);
        rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {link} | (each run: direct {direct1:N0} and {direct2:N0}; module {module1:N0} and {module2:N0}) | | | |"));
    }
}

Console.WriteLine();
Console.WriteLine("| Link | Path | Observations/s | ÷ direct loader | ÷ naive |");
Console.WriteLine("|---|---|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
return 0;

void Row(string link, string name, double rate, double direct, double naive) =>
    rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {link} | {name} | {rate:N0} | {rate / direct:F2} | {rate / naive:F1} |"));

async Task<double> Case(FhirClient client, string name, int count, Func<Task<int>> run)
{
    await peer.Fixture.ResetAsync();
    await DirectLoader.SeedAsync(client);
    var clock = Stopwatch.StartNew();
    int written = await run();
    double rate = written / clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name}: {written:N0} in {clock.Elapsed.TotalSeconds:F1} s = {rate:N0}/s"));
    return rate;
}

static async Task<int> NaivePutsAsync(FhirClient client, List<FhirResource> observations, int inFlight)
{
    int next = -1;
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < observations.Count)
        {
            FhirResponse response = await client.PutAsync("Observation", observations[index].Id, observations[index].Json);
            if (!response.IsSuccess)
            {
                throw new InvalidOperationException("PUT refused: " + response);
            }
        }
    }));
    return observations.Count;
}

static async Task<int> ModuleDrainAsync(FhirClient client, DeviceMapping deviceMapping, FhirMapping fhirMapping, int count, int bundleSize, string run)
{
    string folder = Path.Combine(Path.GetTempPath(), "medtechedge-persistload-" + Guid.NewGuid().ToString("N"));
    MedTechStore store = MedTechStore.Open(new StoreOptions { Path = Path.Combine(folder, "store.db"), Durability = StoreDurability.Normal });
    try
    {
        // The outage: everything is acknowledged and waiting in the inbox before the server is reachable.
        var signals = new PipelineSignals();
        await using (var writer = new InboxWriter(store, signals.Inbox))
        {
            InboxCommit? last = null;
            for (int i = 0; i < count; i++)
            {
                last = writer.Enqueue(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "bench", DeviceId = BenchDeviceMessages.DeviceId(run, i), Body = BenchDeviceMessages.Body(run, i) }, out _);
            }

            await last!.AsValueTask();
        }

        var options = new PipelineOptions { PersistBatchSize = bundleSize, PersistConcurrency = InFlight };
        var map = new MapStage(store, deviceMapping, fhirMapping, signals, options, TimeProvider.System, NullLogger<MapStage>.Instance);
        var persist = new PersistStage(store, new FhirServerSink(client, fhirMapping), signals, options, TimeProvider.System, NullLogger<PersistStage>.Instance);
        await map.StartAsync(CancellationToken.None);
        await persist.StartAsync(CancellationToken.None);
        // Every message is one Observation; each device adds its Patient and Device once (Create mode).
        long expected = count + (2L * Math.Min(count, BenchDeviceMessages.Devices));
        while (persist.PersistedCount < expected)
        {
            await Task.Delay(20);
            if (map.DeadLetteredCount > 0)
            {
                throw new InvalidOperationException("The bench messages were dead-lettered.");
            }
        }

        await persist.StopAsync(CancellationToken.None);
        await map.StopAsync(CancellationToken.None);
        return count;
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
