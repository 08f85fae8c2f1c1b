using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.PersistLoad;
using MedTechEdge.Storage;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// <c>module [messages at 1 client] [messages at 100 clients] [rounds]</c> (issue 16 §1): what the pipeline behind the
/// inbox costs the acknowledgements. Three processes take the same QoS 1 load (MQTT 3.1.1, ~250-byte messages on the
/// default ingest topic) in one run: Mosquitto without persistence, this tool's <c>serve Full</c> (the broker and the
/// module's ingest handler alone) and the whole module (MQTT on, the bundled mappings, no FHIR URL so the NDJSON sink,
/// Durability Full). Cases: one client with one message in flight, and 100 clients with 16 each. After every module
/// measurement the tool waits until the module has written one Observation per acknowledged message, so its backlog
/// never runs during another broker's measurement, and reports how long that took.
/// </summary>
internal static class ModuleCase
{
    private static readonly (int Clients, int InFlight)[] Cases = [(1, 1), (100, 16)];

    public static async Task<int> RunAsync(string[] args)
    {
        int oneClient = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
        int manyClients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        string root = RepositoryRoot.Find();
        string work = Path.Combine(Path.GetTempPath(), "medtechedge-mqttload-" + Guid.NewGuid().ToString("N"));
        string ndjson = Path.Combine(work, "fhir");
        Directory.CreateDirectory(work);
        var mosquitto = MosquittoProcess.Start(work);
        try
        {
            Dictionary<string, string> serverEnvironment = ServerEnvironment();
            using EmbeddedBrokerProcess ingest = await EmbeddedBrokerProcess.StartAsync(StoreDurability.Full, work, environment: serverEnvironment);
            string mappings = Path.Combine(root, "modules", "MedTechEdge", "mappings");
            await using ModuleProcess module = await ModuleProcess.StartAsync(ModuleDll(root), serverEnvironment,
            [
                "--MedTechEdge:Mappings:Device=" + Path.Combine(mappings, "devicecontent.json"),
                "--MedTechEdge:Mappings:Fhir=" + Path.Combine(mappings, "fhirmapping.json"),
                "--MedTechEdge:Output:NdjsonFolder=" + ndjson,
                "--MedTechEdge:Store:Durability=Full",
            ], mqtt: true);
            var observations = new NdjsonLineCount(Path.Combine(ndjson, "Observation.ndjson"));
            mosquitto.EnsureRunning();

            Console.WriteLine($"# Acknowledgements under pipeline load (issue 16 §1): QoS 1, MQTT 3.1.1, ~250 B messages; {oneClient:N0} messages at 1 client, {manyClients:N0} at 100 clients, {rounds} round(s); load {LoadAverage()}");
            Console.WriteLine($"# the ingest path alone and the module run with: {(serverEnvironment.Count == 0 ? "the runtime's defaults" : string.Join(' ', serverEnvironment.Select(v => v.Key + "=" + v.Value)))}");
            Console.WriteLine("| Clients | In flight | Round | Mosquitto msgs/s | µs CPU/msg | Ingest alone msgs/s | µs CPU/msg | Module msgs/s | p50 ms | p99 ms | µs CPU/msg | Load client µs CPU/msg | Module ÷ ingest alone | Module ÷ Mosquitto | Pipeline drained after | Load |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            long acknowledged = 0;
            int run = 0;
            foreach ((int clients, int inFlight) in Cases)
            {
                int messages = clients == 1 ? oneClient : manyClients;
                messages -= messages % clients;

                // The broker's CPU per message, and this process's (the load client's): on two cores they share, the sum
                // bounds the rate.
                async Task<(LoadResult Load, double CpuMicros, double ClientMicros)> MeasureAsync(int port, Func<TimeSpan> cpu, bool toModule, int count)
                {
                    TimeSpan before = cpu();
                    TimeSpan clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    LoadResult result = await LoadRun.RunAsync(port, clients, MqttQualityOfServiceLevel.AtLeastOnce, count, inFlight, MqttProtocolVersion.V311, mappable: "r" + run++.ToString(CultureInfo.InvariantCulture));
                    double micros = (cpu() - before).TotalMicroseconds / count;
                    double clientMicros = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMicroseconds / count;
                    if (toModule)
                    {
                        acknowledged += count;
                    }

                    return (result, micros, clientMicros);
                }

                // Warm-up: the .NET brokers' tiered JIT reaches its final code, as in a module that has been running.
                int warmUp = Math.Min(messages, clients == 1 ? 2_000 : 50_000);
                await MeasureAsync(mosquitto.Port, () => mosquitto.ProcessorTime, false, warmUp);
                await MeasureAsync(ingest.Port, () => ingest.ProcessorTime, false, warmUp);
                await MeasureAsync(module.MqttPort, () => module.ProcessorTime, true, warmUp);
                await observations.WaitForAsync(acknowledged, module);
                for (int round = 1; round <= rounds; round++)
                {
                    await Task.Delay(1000);
                    (LoadResult baseline, double baselineCpu, _) = await MeasureAsync(mosquitto.Port, () => mosquitto.ProcessorTime, false, messages);
                    (LoadResult alone, double aloneCpu, _) = await MeasureAsync(ingest.Port, () => ingest.ProcessorTime, false, messages);
                    (LoadResult whole, double wholeCpu, double clientCpu) = await MeasureAsync(module.MqttPort, () => module.ProcessorTime, true, messages);
                    TimeSpan drained = await observations.WaitForAsync(acknowledged, module);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {clients} | {inFlight} | {round} | {baseline.MessagesPerSecond:N0} | {baselineCpu:F1} | {alone.MessagesPerSecond:N0} | {aloneCpu:F1} | {whole.MessagesPerSecond:N0} | {whole.P50Ms:F2} | {whole.P99Ms:F2} | {wholeCpu:F1} | {clientCpu:F1} | **{whole.MessagesPerSecond / alone.MessagesPerSecond:F2}** | **{whole.MessagesPerSecond / baseline.MessagesPerSecond:F2}** | {drained.TotalSeconds:F1} s | {LoadAverage()} |"));
                }
            }

            long written = observations.Count();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# module: {acknowledged:N0} messages acknowledged, {written:N0} Observations in its NDJSON output: {(written == acknowledged ? "every acknowledged message mapped and written" : "MISMATCH")}"));
            Console.WriteLine($"# ingest alone: {await ingest.StopAsync()}");
            return written == acknowledged ? 0 : 1;
        }
        finally
        {
            mosquitto.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// <c>MQTTLOAD_SERVER_ENV</c> ("NAME=VALUE;NAME=VALUE"): runtime settings for the module and the ingest path alone, and
    /// not for Mosquitto or this tool's load client, so a setting is compared on the servers with the same client,
    /// e.g. <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (docs/operations.md, "CPU on a busy box").
    /// </summary>
    private static Dictionary<string, string> ServerEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in (Environment.GetEnvironmentVariable("MQTTLOAD_SERVER_ENV") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException($"MQTTLOAD_SERVER_ENV: '{pair}' is not NAME=VALUE");
            }

            environment[pair[..equals]] = pair[(equals + 1)..];
        }

        return environment;
    }

    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>
    /// The module built with this tool's configuration (a project reference of it), or <c>MQTTLOAD_MODULE</c>: another
    /// MedTechEdge.dll, such as an earlier commit's build, to compare.
    /// </summary>
    private static string ModuleDll(string root)
    {
        if (Environment.GetEnvironmentVariable("MQTTLOAD_MODULE") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException("No module at " + given);
        }

        // This tool runs from bench/MedTechEdge.MqttLoad/bin/{Configuration}/{framework}/.
        var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string dll = Path.Combine(root, "modules", "MedTechEdge", "bin", self.Parent!.Name, self.Name, "MedTechEdge.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException("Build the module first: no " + dll);
    }
}
