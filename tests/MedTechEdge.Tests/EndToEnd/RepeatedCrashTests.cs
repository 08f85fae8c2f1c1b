using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// A stream of QoS 1 messages while the module is killed with SIGKILL at random moments and started
/// again: every message the module acknowledged is in the FHIR server, exactly once.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class RepeatedCrashTests(FhirPeerFixture peer) : IDisposable
{
    private const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-crashes-" + Guid.NewGuid().ToString("N"));

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
    public async Task Every_Acknowledged_Message_Is_Delivered_Exactly_Once_Across_Three_Kills()
    {
        Directory.CreateDirectory(_folder);
        string device = "kill-" + Guid.NewGuid().ToString("N")[..6];
        const int count = 1500;
        string[] args = ["--MedTechEdge:Fhir:Url=" + peer.BaseUrl, "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.2"];
        ModuleProcess module = await ModuleProcess.StartAsync(_folder, args);
        int port = module.MqttPort;
        var acknowledged = new List<int>();
        int connects = 0;
        using var done = new CancellationTokenSource();

        Task publisher = Task.Run(async () =>
        {
            MqttClient? client = null;
            for (int i = 0; i < count;)
            {
                try
                {
                    if (client is null || !client.IsConnected)
                    {
                        if (client is not null)
                        {
                            await client.DisposeAsync();
                        }

                        client = new MqttClient();
                        Interlocked.Increment(ref connects);
                        await client.ConnectAsync(new MqttClientOptions { Port = Volatile.Read(ref port), ClientId = "crash-" + device, ProtocolVersion = MqttProtocolVersion.V500, Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
                    }

                    DateTime at = new DateTime(2026, 11, 21, 3, 0, 0, DateTimeKind.Utc).AddSeconds(i);
                    byte[] payload = Encoding.UTF8.GetBytes($$"""{"deviceId":"{{device}}","patientId":"p-{{device}}","measurementTime":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{50 + (i % 50)}}}""");
                    MqttPublishResult result = await client.PublishAsync($"devices/{device}/messages/events/", payload, MqttQualityOfServiceLevel.AtLeastOnce);
                    if (result.IsSuccess)
                    {
                        lock (acknowledged)
                        {
                            acknowledged.Add(i);
                        }

                        i++;
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // The module is down: try the same message again once it is back.
                    await Task.Delay(100);
                }
            }

            if (client is not null)
            {
                await client.DisposeAsync();
            }
        });

        var random = new Random(7);
        for (int kill = 0; kill < 3; kill++)
        {
            // Kill at a random moment while the stream is running.
            await Task.Delay(random.Next(200, 600));
            await module.KillAsync();
            await module.DisposeAsync();
            module = await ModuleProcess.StartAsync(_folder, args);
            Volatile.Write(ref port, module.MqttPort);
        }

        await publisher.WaitAsync(TimeSpan.FromMinutes(3));
        try
        {
            string deviceRid = Sha256("_" + device);
            HashSet<string> expected = [];
            foreach (int i in acknowledged)
            {
                string second = new DateTime(2026, 11, 21, 3, 0, 0, DateTimeKind.Utc).AddSeconds(i).ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture);
                expected.Add($"{Sha256("_p-" + device)}.{deviceRid}.heartrate.{second}.{second}");
            }

            using var http = new HttpClient();
            List<string> found = [];
            await Eventually.TrueAsync(() =>
            {
                found = ObservationIdentifiers(http, new Uri(peer.BaseUrl, $"Observation?device=Device/{deviceRid}&_count=1000"));
                return expected.IsSubsetOf(found);
            }, TimeSpan.FromSeconds(90), $"all {expected.Count} acknowledged messages in the FHIR server");

            Assert.Equal(count, acknowledged.Count);
            Assert.True(Volatile.Read(ref connects) >= 4, $"the kills should interrupt the stream (connections: {connects})");
            Assert.Equal(found.Count, new HashSet<string>(found).Count);
        }
        finally
        {
            await module.InterruptAsync();
            await module.DisposeAsync();
        }
    }

    private static List<string> ObservationIdentifiers(HttpClient http, Uri search) =>
        [.. FhirObservations.SearchAsync(http, search).GetAwaiter().GetResult().Select(FhirObservations.Identifier)];

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
