using System.Globalization;
using System.Net;
using MedTechEdge.Storage;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// <c>flood [seconds per phase] [rounds] [--same-address | --addresses N]</c>: the embedded broker with a credentials file (default
/// PBKDF2 iterations) in its own process; a warm-up, then rounds of an idle phase and a flood phase of 40 concurrent
/// bad-CONNECT loops, back to back in one run, and the flood/idle ratio of each p99. Rounds interleave the two
/// conditions so that other load on a shared machine falls on both alike. The flood comes from 127.0.0.2 (an attacker
/// elsewhere on the network); with <c>--same-address</c>, from 127.0.0.1 like the legitimate devices; with
/// <c>--addresses N</c>, from 127.0.0.2 to 127.0.0.(N+1), the flood loops spread over them (an attacker with many
/// addresses, which the per-address backoff alone does not stop; Linux routes all of 127/8 to loopback).
/// </summary>
internal static class FloodCase
{
    private const int Flooders = 40;

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 15;
        int rounds = args.Length > 1 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : 3;
        bool sameAddress = Array.IndexOf(args, "--same-address") >= 0;
        int addressesAt = Array.IndexOf(args, "--addresses");
        int addresses = addressesAt >= 0 && addressesAt + 1 < args.Length && int.TryParse(args[addressesAt + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 250 ? n : 1;
        IPAddress[] floodFrom = sameAddress
            ? [IPAddress.Loopback]
            : [.. Enumerable.Range(2, addresses).Select(i => new IPAddress([127, 0, 0, (byte)i]))];
        string floodFromText = floodFrom.Length == 1 ? floodFrom[0].ToString() : $"{floodFrom.Length} addresses {floodFrom[0]}..{floodFrom[^1]}";
        string work = Path.Combine(Path.GetTempPath(), "medtechedge-mqttflood-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string credentials = Path.Combine(work, "credentials.txt");
            FloodRun.WriteCredentials(credentials);
            using EmbeddedBrokerProcess broker = await EmbeddedBrokerProcess.StartAsync(StoreDurability.Normal, work, credentials);
            await FloodRun.MeasureAsync(broker.Port, TimeSpan.FromSeconds(5), 0, floodFrom, 0);
            int fresh = 30;
            FloodPhase? idle = null;
            FloodPhase? flood = null;
            TimeSpan idleCpu = TimeSpan.Zero;
            TimeSpan floodCpu = TimeSpan.Zero;
            for (int round = 0; round < rounds; round++)
            {
                TimeSpan before = broker.ProcessorTime;
                FloodPhase quiet = await FloodRun.MeasureAsync(broker.Port, TimeSpan.FromSeconds(seconds), 0, floodFrom, fresh);
                TimeSpan between = broker.ProcessorTime;
                fresh += quiet.FirstConnects.Latencies.Count + quiet.FirstConnects.Refusals.Count;
                FloodPhase attacked = await FloodRun.MeasureAsync(broker.Port, TimeSpan.FromSeconds(seconds), Flooders, floodFrom, fresh);
                fresh += attacked.FirstConnects.Latencies.Count + attacked.FirstConnects.Refusals.Count;
                idleCpu += between - before;
                floodCpu += broker.ProcessorTime - between;
                idle = idle is null ? quiet : idle.Add(quiet);
                flood = flood is null ? attacked : flood.Add(attacked);
            }

            string stopped = await broker.StopAsync();
            Console.WriteLine($"# CONNECT flood, {rounds} rounds of {seconds} s idle + {seconds} s flood, {Flooders} bad-CONNECT loops from {floodFromText}; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| Series | Idle n | Idle p50 ms | Idle p99 ms | Flood n | Flood p50 ms | Flood p99 ms | p99 flood/idle | Refused in flood |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            Row("Reconnect of a known device", idle!.Reconnects.Latencies, flood!.Reconnects.Latencies, flood.Reconnects.Refusals);
            Row("First CONNECT of a new device", idle.FirstConnects.Latencies, flood.FirstConnects.Latencies, flood.FirstConnects.Refusals);
            Row("In-session QoS 1 PUBACK", idle.PubAcks, flood.PubAcks, []);
            double phaseSeconds = (double)rounds * seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# broker CPU: idle {idleCpu.TotalMilliseconds / phaseSeconds:F0} ms/s, flood {floodCpu.TotalMilliseconds / phaseSeconds:F0} ms/s; bad CONNECTs answered during the flood: {flood.FloodAttempts:N0}; broker: {stopped}"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string name, List<double> idle, List<double> flood, List<string> refused)
    {
        double idleP99 = FloodPhase.Percentile(idle, 0.99);
        double floodP99 = FloodPhase.Percentile(flood, 0.99);
        string refusals = refused.Count == 0 ? "0" : $"{refused.Count} ({string.Join(", ", refused.Distinct())})";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {idle.Count} | {FloodPhase.Percentile(idle, 0.5):F1} | {idleP99:F1} | {flood.Count} | {FloodPhase.Percentile(flood, 0.5):F1} | {floodP99:F1} | {floodP99 / idleP99:F2} | {refusals} |"));
    }
}
