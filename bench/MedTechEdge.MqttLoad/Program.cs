using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MedTechEdge.MqttLoad;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;

// Usage: dotnet run -c Release --project bench/MedTechEdge.MqttLoad -- [messages per case, default 40000]
//        dotnet run -c Release --project bench/MedTechEdge.MqttLoad -- module [messages at 1 client, default 5000] [at 100 clients, default 100000] [rounds, default 3]
//        dotnet run -c Release --project bench/MedTechEdge.MqttLoad -- flood [seconds per phase, default 15] [rounds, default 3] [--same-address | --addresses N]
// Runs every case against Mosquitto (persistence off) and against the embedded broker whose ingest
// handler commits to SQLite (WAL, group commit) before the PUBACK, in one run: once with synchronous=FULL
// (an fsync per commit: survives power loss) and once with synchronous=NORMAL (survives a killed process,
// which is the module's acknowledgement guarantee; a power cut may lose the last commits).
if (args.Length is 3 or 4 && args[0] == "serve")
{
    return await EmbeddedBrokerProcess.ServeAsync(args[1], args[2], args.Length == 4 ? args[3] : null);
}

if (args.Length > 0 && args[0] == "module")
{
    return await ModuleCase.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "flood")
{
    return await FloodCase.RunAsync(args[1..]);
}

if (args.Length is 5 or 6 or 7 && args[0] == "load")
{
    // load <port> <clients> <qos> <messages> [window, default 32] [run name: mappable MQTT 3.1.1 messages, as in `module`]:
    // one case against a broker already running (for profiling a broker, or the module).
    LoadResult one = await LoadRun.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
        (MqttQualityOfServiceLevel)int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture),
        args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 32,
        args.Length > 6 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500, args.Length > 6 ? args[6] : null);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{one.MessagesPerSecond:N0} msgs/s, p50 {one.P50Ms:F2} ms, p99 {one.P99Ms:F2} ms"));
    return 0;
}

int messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40_000;
string work = Path.Combine(Path.GetTempPath(), "medtechedge-mqttload-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);

MosquittoProcess mosquitto = MosquittoProcess.Start(work);
int mosquittoPort = mosquitto.Port;

try
{
    // Each broker in its own process, so the load client has the same CPU against all three.
    using EmbeddedBrokerProcess server = await EmbeddedBrokerProcess.StartAsync(StoreDurability.Full, work);
    using EmbeddedBrokerProcess normalServer = await EmbeddedBrokerProcess.StartAsync(StoreDurability.Normal, work);
    await Task.Delay(1000);
    mosquitto.EnsureRunning();

    Console.WriteLine($"# MQTT load, {messages} messages of ~250 B per case, window 32 per client; load {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine("| Clients | QoS | Mosquitto msgs/s | p50 ms | p99 ms | Embedded, commit FULL msgs/s | p50 ms | p99 ms | Ratio | Embedded, commit NORMAL msgs/s | p50 ms | p99 ms | Ratio |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (int clients in new[] { 1, 100 })
    {
        foreach (MqttQualityOfServiceLevel qos in new[] { MqttQualityOfServiceLevel.AtMostOnce, MqttQualityOfServiceLevel.AtLeastOnce })
        {
            // Let both brokers settle after the previous case, warm up on both, then measure back to back.
            await Task.Delay(2000);
            // The warm-up is long enough for the .NET brokers' tiered JIT to reach its final code, as it has in a
            // module that has been running; Mosquitto is native and needs none, but gets the same.
            await LoadRun.RunAsync(mosquittoPort, clients, qos, Math.Min(messages, 100_000), 32);
            await LoadRun.RunAsync(server.Port, clients, qos, Math.Min(messages, 100_000), 32);
            await LoadRun.RunAsync(normalServer.Port, clients, qos, Math.Min(messages, 100_000), 32);
            LoadResult baseline = await Case("Mosquitto", mosquittoPort);
            LoadResult full = await Case("embedded FULL", server.Port);
            LoadResult normal = await Case("embedded NORMAL", normalServer.Port);

            async Task<LoadResult> Case(string broker, int port)
            {
                try
                {
                    return await LoadRun.RunAsync(port, clients, qos, messages, 32);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException($"{broker}, {clients} client(s), QoS {(int)qos}: {ex.Message}", ex);
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {(int)qos} | {baseline.MessagesPerSecond:N0} | {baseline.P50Ms:F2} | {baseline.P99Ms:F2} | {full.MessagesPerSecond:N0} | {full.P50Ms:F2} | {full.P99Ms:F2} | {full.MessagesPerSecond / baseline.MessagesPerSecond:F2} | {normal.MessagesPerSecond:N0} | {normal.P50Ms:F2} | {normal.P99Ms:F2} | {normal.MessagesPerSecond / baseline.MessagesPerSecond:F2} |"));
        }
    }

    Console.WriteLine($"# committed to SQLite: {await server.StopAsync()}, {await normalServer.StopAsync()}");
    return 0;
}
finally
{
    // Every exit path stops the broker this tool started.
    mosquitto.Dispose();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(work, recursive: true);
}
