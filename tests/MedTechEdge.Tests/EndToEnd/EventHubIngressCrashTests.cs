using System.Text;
using System.Text.Json;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Events arrive in the hub while the module, reading them with the Event Hubs ingress, is killed with SIGKILL at random
/// moments and started again: every event becomes exactly one Observation. A kill between the inbox commit and the
/// checkpoint makes the next run read the tail again; deterministic ids make that a rewrite, not a duplicate.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class EventHubIngressCrashTests(FhirPeerFixture fhir) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-eh-crashes-" + Guid.NewGuid().ToString("N"));

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
    public async Task Every_Event_Becomes_Exactly_One_Observation_Across_Three_Kills()
    {
        Directory.CreateDirectory(_folder);
        using var hub = new EventHubsAmqpPeer();
        string device = "ehkill-" + Guid.NewGuid().ToString("N")[..6];
        const int count = 1200;
        // The MQTT listener stays on at port 0 here only because ModuleProcess learns that the module is up from its
        // listening line; nothing publishes to it.
        string[] args =
        [
            "--MedTechEdge:Fhir:Url=" + fhir.BaseUrl,
            "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.2",
            "--MedTechEdge:EventHubIngress:Enabled=true",
            "--MedTechEdge:EventHubIngress:ConnectionString=" + hub.ConnectionString,
            "--MedTechEdge:EventHubIngress:LoadBalancingInterval=00:00:01",
            "--MedTechEdge:EventHubIngress:MaxBatchSize=25",
            "--MedTechEdge:EventHubIngress:PrefetchCount=50",
        ];
        ModuleProcess module = await ModuleProcess.StartAsync(_folder, args);

        // The hub fills while the module reads: 12 events every 20 ms over the four partitions, about two seconds.
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                hub.Append(i % 4, Encoding.UTF8.GetBytes(EventHubIngressTests.DeviceJson(device, i)));
                if (i % 12 == 11)
                {
                    // Real time is the point: the hub fills while the module reads, so the kills land mid-ingest.
                    await Task.Delay(20);
                }
            }
        });

        var random = new Random(13);
        for (int kill = 0; kill < 3; kill++)
        {
            // A random moment while events are being read and stored: real elapsed time is the point (a crash comes
            // when it comes), so this is a sleep by design, not a wait for a condition.
            await Task.Delay(random.Next(150, 500));
            await module.KillAsync();
            await module.DisposeAsync();
            module = await ModuleProcess.StartAsync(_folder, args);
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            using var http = new HttpClient();
            List<JsonElement> found = [];
            await Eventually.TrueAsync(() =>
            {
                found = FhirObservations.OfDeviceAsync(http, fhir.BaseUrl, device).GetAwaiter().GetResult();
                return found.Count >= count;
            }, TimeSpan.FromSeconds(60), $"all {count} events on the FHIR server");

            var identifiers = new HashSet<string>(found.Select(FhirObservations.Identifier));
            Assert.Equal(count, found.Count);
            Assert.Equal(count, identifiers.Count);
            Assert.Empty(hub.Faults);
        }
        finally
        {
            await module.InterruptAsync();
            await module.DisposeAsync();
        }
    }
}
