using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The identity cache must not outlive the FHIR server (issue 12 item 4): the FHIR peer is killed mid-stream and
/// started again, empty, on the same port. The module's cached Patients and Devices no longer exist there; the first
/// refusal that names them makes the module resolve them again (Create mode writes them again), and the stream goes on.
/// </summary>
public sealed class FhirServerReplacedTests : IDisposable
{
    private const int Devices = 5;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-replaced-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task After_The_Server_Restarts_Empty_Every_Message_Is_One_Observation_And_Each_Patient_And_Device_Exists_Once()
    {
        Directory.CreateDirectory(_folder);
        string run = Guid.NewGuid().ToString("N")[..6];
        int port = FreePort();
        var before = new FhirPeerFixture { Port = port };
        await before.InitializeAsync();
        Uri baseUrl = before.BaseUrl;
        ModuleProcess module = await ModuleProcess.StartAsync(
            _folder,
            "--MedTechEdge:Fhir:Url=" + baseUrl,
            "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.1",
            "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:00.5");
        var clients = new MqttClient[Devices];
        using var http = new HttpClient();
        FhirPeerFixture? after = null;
        try
        {
            for (int d = 0; d < Devices; d++)
            {
                clients[d] = new MqttClient();
                await clients[d].ConnectAsync(new MqttClientOptions { Port = module.MqttPort, ClientId = $"rep-{run}-{d}", ProtocolVersion = MqttProtocolVersion.V500, Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
            }

            await PublishAllAsync(clients, run, 0, 10);
            await Eventually.TrueAsync(() => CountObservations(http, baseUrl, run).GetAwaiter().GetResult() >= Devices * 10, TimeSpan.FromSeconds(30), "the first messages in the first server");

            // kill -9 of the server, and a new, empty one on the same port.
            await before.DisposeAsync();
            after = new FhirPeerFixture { Port = port };
            await after.InitializeAsync();

            const int afterRestart = 20;
            await PublishAllAsync(clients, run, 10, afterRestart);
            await Eventually.TrueAsync(() => CountObservations(http, baseUrl, run, from: 10).GetAwaiter().GetResult() >= Devices * afterRestart, TimeSpan.FromSeconds(60), "every message published after the restart in the new server");

            List<JsonElement> observations = await ObservationsAsync(http, baseUrl, run, from: 10);
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonElement observation in observations)
            {
                Assert.True(identifiers.Add(observation.GetProperty("identifier")[0].GetProperty("value").GetString()!), "an Observation is there twice");
            }

            Assert.Equal(Devices * afterRestart, observations.Count);
            for (int d = 0; d < Devices; d++)
            {
                Assert.Equal(1, await CountAsync(http, baseUrl, $"Patient?identifier=p-{run}-{d}"));
                Assert.Equal(1, await CountAsync(http, baseUrl, $"Device?identifier=rep-{run}-{d}"));
            }
        }
        finally
        {
            foreach (MqttClient? client in clients)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }

            await module.DisposeAsync();
            if (after is not null)
            {
                await after.DisposeAsync();
            }
        }

        // Nothing became a dead letter on the way (before: "Reference target not found: Patient/...").
        string store = Path.Combine(_folder, "data", "medtechedge.db");
        Assert.True(File.Exists(store), store);
        using var connection = new SqliteConnection("Data Source=" + store + ";Pooling=False");
        connection.Open();
        Assert.Equal(0, DeadLetterTable.Count(connection));
    }

    private static async Task PublishAllAsync(MqttClient[] clients, string run, int from, int count)
    {
        var publishers = new Task[clients.Length];
        for (int d = 0; d < clients.Length; d++)
        {
            publishers[d] = PublishAsync(clients[d], run, d, from, count);
        }

        await Task.WhenAll(publishers);
    }

    private static async Task PublishAsync(MqttClient client, string run, int d, int from, int count)
    {
        string device = $"rep-{run}-{d}";
        for (int i = from; i < from + count; i++)
        {
            byte[] payload = Encoding.UTF8.GetBytes($$"""{"deviceId":"{{device}}","patientId":"p-{{run}}-{{d}}","measurementTime":"{{Day(run).AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + i}}}""");
            MqttPublishResult result = await client.PublishAsync($"devices/{device}/messages/events/", payload, MqttQualityOfServiceLevel.AtLeastOnce);
            Assert.True(result.IsSuccess, $"message {i} of {device} was not acknowledged");
        }
    }

    // Each run measures on a day of its own, so Observations of other runs are not counted.
    private static DateTime Day(string run) => new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Convert.ToInt32(run[..4], 16) % 300);

    private static async Task<int> CountObservations(HttpClient http, Uri baseUrl, string run, int from = 0)
    {
        try
        {
            return (await ObservationsAsync(http, baseUrl, run, from)).Count;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>The run's Observations measured at second <paramref name="from"/> of its day or later.</summary>
    private static async Task<List<JsonElement>> ObservationsAsync(HttpClient http, Uri baseUrl, string run, int from)
    {
        string since = Day(run).AddSeconds(from).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string until = Day(run).AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string json = await http.GetStringAsync(new Uri(baseUrl, $"Observation?date=ge{Uri.EscapeDataString(since)}&date=lt{Uri.EscapeDataString(until)}&_count=1000"));
        var found = new List<JsonElement>();
        using JsonDocument bundle = JsonDocument.Parse(json);
        if (bundle.RootElement.TryGetProperty("entry", out JsonElement entries))
        {
            foreach (JsonElement entry in entries.EnumerateArray())
            {
                found.Add(entry.GetProperty("resource").Clone());
            }
        }

        return found;
    }

    private static async Task<int> CountAsync(HttpClient http, Uri baseUrl, string query)
    {
        string json = await http.GetStringAsync(new Uri(baseUrl, query));
        using JsonDocument bundle = JsonDocument.Parse(json);
        return bundle.RootElement.TryGetProperty("entry", out JsonElement entries) ? entries.GetArrayLength() : 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
