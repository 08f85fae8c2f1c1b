using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// The embedded broker with the module's durable ingest, in a process of its own, as Mosquitto is: the load
/// client then has the same CPU to itself against both brokers, and the broker does not share a thread pool
/// with the client that drives it (in the module it never does).
/// </summary>
internal sealed class EmbeddedBrokerProcess(Process process, int port) : BrokerProcess(process, port), IDisposable
{

    /// <summary>Starts <c>serve</c> mode of this tool and waits for the port it listens on.</summary>
    /// <param name="credentialsFile">A credentials file for the broker (the flood case); null for anonymous access.</param>
    /// <param name="environment">Variables for the broker's process only (not this tool's, the load client's).</param>
    public static async Task<EmbeddedBrokerProcess> StartAsync(StoreDurability durability, string folder, string? credentialsFile = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string self = typeof(EmbeddedBrokerProcess).Assembly.Location;
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(self);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(durability.ToString());
        start.ArgumentList.Add(folder);
        if (credentialsFile is not null)
        {
            start.ArgumentList.Add(credentialsFile);
        }

        Process process = Process.Start(start)!;
        string? line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException("The embedded broker process did not start: " + line);
        }

        return new EmbeddedBrokerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
    }

    /// <summary>Asks the broker to stop (closes its input) and returns how many messages it committed.</summary>
    public async Task<string> StopAsync()
    {
        Process.StandardInput.Close();
        string rest = await Process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await Process.WaitForExitAsync().ConfigureAwait(false);
        return rest.Trim();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        Process.Dispose();
    }

    /// <summary>
    /// <c>serve &lt;Full|Normal&gt; &lt;folder&gt; [credentials file]</c>: runs the broker until standard input closes,
    /// prints <c>PORT n</c> first and the committed count and the broker's Warning lines last.
    /// </summary>
    public static async Task<int> ServeAsync(string durability, string folder, string? credentialsFile = null)
    {
        StoreDurability level = Enum.Parse<StoreDurability>(durability);
        var exceptions = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        if (Environment.GetEnvironmentVariable("MQTTLOAD_EXCEPTIONS") == "1")
        {
            AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
            {
                string key = e.Exception.GetType().Name;
                if (exceptions.AddOrUpdate(key, 1, (_, n) => n + 1) == 1000)
                {
                    Console.Error.WriteLine(key + " #1000 at:\n" + Environment.StackTrace);
                }
            };
        }

        MedTechStore store = MedTechStore.Open(new StoreOptions { Path = Path.Combine(folder, $"store-{level}.db"), Durability = level, MaxSizeBytes = 0 });
        await using var inbox = new InboxWriter(store, new WorkSignal());
        var log = new CountingLogger();
        await using var server = new MqttServer(
            new MqttServerOptions { Port = 0, ReceiveMaximum = 1000, CredentialsFile = credentialsFile },
            new MedTechEdge.Ingress.MqttIngressHandler(inbox, Microsoft.Extensions.Logging.Abstractions.NullLogger<MedTechEdge.Ingress.MqttIngressHandler>.Instance),
            log);
        await server.StartAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine("PORT " + server.LocalEndPoint!.Port.ToString(CultureInfo.InvariantCulture));
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{inbox.CommittedCount} committed in {inbox.TransactionCount} transactions; broker log: {log.Count(Microsoft.Extensions.Logging.LogLevel.Warning)} Warning lines ({level}; GC gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, allocated {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB)"));
        foreach (KeyValuePair<string, int> exception in exceptions.OrderByDescending(e => e.Value).Take(5))
        {
            Console.WriteLine($"  first-chance {exception.Value}x {exception.Key}");
        }
        return 0;
    }
}
