using System.Net;
using MedTechEdge.Hosting;
using MedTechEdge.Ingress;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tests;

/// <summary>
/// The real module host, in process, on a free MQTT port, with its store and output in a temporary
/// folder. Everything else is the module's own defaults.
/// </summary>
internal sealed class ModuleUnderTest : IAsyncDisposable
{
    private readonly IHost _host;

    private ModuleUnderTest(IHost host, string folder)
    {
        _host = host;
        Folder = folder;
    }

    public string Folder { get; }

    /// <summary>Leaves the folder on dispose, for a module started on it again.</summary>
    public bool KeepFolder { get; set; }

    public string NdjsonFolder => Path.Combine(Folder, "fhir");

    public IPEndPoint MqttEndPoint => _host.Services.GetRequiredService<MqttListenerService>().LocalEndPoint!;

    public IPEndPoint DashboardEndPoint => _host.Services.GetRequiredService<MedTechEdge.Dashboard.DashboardService>().LocalEndPoint!;

    /// <summary>The metrics and health endpoints (a free port, <c>Metrics:Port=0</c>).</summary>
    public IPEndPoint MetricsEndPoint => _host.Services.GetRequiredService<MedTechEdge.Observability.ObservabilityServer>().LocalEndPoint!;

    public MapStage Map => _host.Services.GetRequiredService<MapStage>();

    public PersistStage Persist => _host.Services.GetRequiredService<PersistStage>();

    public MedTechEdge.IotEdge.EdgeHubService EdgeHub => _host.Services.GetRequiredService<MedTechEdge.IotEdge.EdgeHubService>();

    public IServiceProvider Services => _host.Services;

    public static Task<ModuleUnderTest> StartAsync(Uri? fhirUrl = null, params string[] extraArgs)
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-module-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return StartInAsync(folder, fhirUrl, extraArgs);
    }

    /// <summary>A module on an existing folder (its store and twin layer), as after a restart.</summary>
    public static async Task<ModuleUnderTest> StartInAsync(string folder, Uri? fhirUrl = null, params string[] extraArgs)
    {
        var args = new List<string>
        {
            "--MedTechEdge:Mqtt:Port=0",
            "--MedTechEdge:Metrics:Port=0",
            // Tests run modules side by side: each dashboard on a port of its own.
            "--MedTechEdge:Dashboard:Port=0",
            "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"),
            "--MedTechEdge:Output:NdjsonFolder=" + Path.Combine(folder, "fhir"),
            "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.2",
            "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:01",
            "--Logging:LogLevel:Default=Warning",
        };
        if (fhirUrl is not null)
        {
            args.Add("--MedTechEdge:Fhir:Url=" + fhirUrl);
        }

        args.AddRange(extraArgs);
        IHost host = ModuleHost.Build([.. args]);
        await host.StartAsync().ConfigureAwait(false);
        return new ModuleUnderTest(host, folder);
    }

    /// <summary>Publishes like a device would, with Debian's mosquitto_pub; returns once the broker acknowledged (QoS 1).</summary>
    public async Task PublishAsync(string deviceId, string json, string version = "mqttv311")
    {
        MosquittoClientResult result = await MosquittoClients.PublishAsync(
            TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", MqttEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-V", version, "-q", "1", "-i", "test-" + deviceId,
            "-t", $"devices/{deviceId}/messages/events/", "-m", json).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"mosquitto_pub failed ({result.ExitCode}): {result.StandardError}");
    }

    public string StorePath => Path.Combine(Folder, "store.db");

    /// <summary>Stops the module but keeps its folder, to look at the store afterwards.</summary>
    public Task StopAsync() => _host.StopAsync();

    /// <summary>Stops the module, has Firely check what its NDJSON sink wrote, and deletes the folder (unless kept).</summary>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects a resource in the NDJSON output.</exception>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            // Once stopped the sink writes no more; lines checked before (a module on a kept folder) are skipped.
            FhirResourceAssert.NdjsonValid(Folder);
        }
        finally
        {
            if (!KeepFolder)
            {
                try
                {
                    Directory.Delete(Folder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
