using System.Globalization;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Reliability guarantee 6 through an outage (issue 12 item 5): 20 devices stream while the FHIR server first drops
/// connections, then answers 503, then 429, and go on streaming while the backlog drains after it recovers (where
/// rows freed by a fast lane let new rows take ids below Persist's cursor, before AUTOINCREMENT). A proxy in front of the real FHIR peer records what the server accepted,
/// in order: every device's Observations arrive in the order they were measured, none missing, none twice, and no
/// Observation or Device before the Patient and Device it references.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class OutageOrderTests(FhirPeerFixture peer) : IDisposable
{
    private const int Devices = 20;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-order-" + Guid.NewGuid().ToString("N"));

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
    public async Task Twenty_Devices_Through_Refusals_503_And_429_Arrive_In_Order_Complete_And_Once()
    {
        Directory.CreateDirectory(_folder);
        string run = Guid.NewGuid().ToString("N")[..6];
        await using var proxy = new FhirRecordingProxy(peer.BaseUrl);
        await using ModuleProcess module = await ModuleProcess.StartAsync(
            _folder,
            "--MedTechEdge:Fhir:Url=" + proxy.BaseUrl,
            "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.1",
            "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:00.4");
        var clients = new MqttClient[Devices];
        for (int d = 0; d < Devices; d++)
        {
            clients[d] = new MqttClient();
            await clients[d].ConnectAsync(new MqttClientOptions { Port = module.MqttPort, ClientId = $"ord-{run}-{d}", ProtocolVersion = MqttProtocolVersion.V500, Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
        }

        int sent = 0;
        (FhirFault Fault, int Messages)[] phases = [(FhirFault.None, 4), (FhirFault.DropConnection, 8), (FhirFault.ServiceUnavailable, 8), (FhirFault.TooManyRequests, 8), (FhirFault.None, 60)];
        foreach ((FhirFault fault, int messages) in phases)
        {
            proxy.Fault = fault;
            // After the outage, one Bundle in three is slow: one lane lags while the others finish their rows.
            proxy.SlowEvery = sent > 0 && fault == FhirFault.None ? 3 : 0;
            int faultedBefore = proxy.Faulted;
            var publishers = new Task[Devices];
            for (int d = 0; d < Devices; d++)
            {
                // During the outage devices publish as fast as they are acknowledged (a backlog builds); after it, one
                // message every 100 ms each, as monitors do, so new rows keep arriving while the backlog drains.
                publishers[d] = PublishAsync(clients[d], run, d, sent, messages, sent > 0 && fault == FhirFault.None ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero);
            }

            await Task.WhenAll(publishers);
            sent += messages;
            if (fault != FhirFault.None)
            {
                // The module met this fault (more than once: retries with backoff) before the next phase starts.
                await Eventually.TrueAsync(() => proxy.Faulted >= faultedBefore + 3, TimeSpan.FromSeconds(20), $"the module to meet {fault}");
            }
        }

        proxy.Fault = FhirFault.None;
        await Eventually.TrueAsync(() => Observations(proxy.Arrivals(), run).Count >= Devices * sent, TimeSpan.FromSeconds(60), "every Observation to reach the server");

        List<FhirArrival> arrivals = proxy.Arrivals();
        List<FhirArrival> observations = Observations(arrivals, run);
        var inversions = new List<string>();
        var byDevice = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (FhirArrival observation in observations)
        {
            if (!byDevice.TryGetValue(observation.Device!, out List<string>? times))
            {
                byDevice[observation.Device!] = times = [];
            }

            if (times.Count > 0 && string.CompareOrdinal(times[^1], observation.Effective) >= 0)
            {
                inversions.Add($"{observation.Device}: {observation.Effective} after {times[^1]}");
            }

            times.Add(observation.Effective!);
        }

        Assert.Empty(inversions);
        Assert.Equal(Devices, byDevice.Count);
        Assert.All(byDevice.Values, times => Assert.Equal(sent, new HashSet<string>(times, StringComparer.Ordinal).Count));
        Assert.Equal(Devices * sent, observations.Count);

        // Nothing before what it references: each Observation's Device, and each Device's Patient, arrived earlier.
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (FhirArrival arrival in arrivals)
        {
            if (arrival.Type == "Observation" && arrival.Device is { } device && observations.Contains(arrival))
            {
                Assert.True(written.Contains(device), $"Observation/{arrival.Id} arrived before {device}");
            }

            written.Add(arrival.Type + "/" + arrival.Id);
        }

        foreach (MqttClient client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static List<FhirArrival> Observations(List<FhirArrival> arrivals, string run) =>
        arrivals.FindAll(a => a.Type == "Observation" && a.Effective is not null && a.Effective.StartsWith(Day(run), StringComparison.Ordinal));

    // Each run measures on a day of its own, so Observations of other tests on the shared peer are not counted.
    private static string Day(string run) => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(Convert.ToInt32(run[..4], 16) % 300).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task PublishAsync(MqttClient client, string run, int d, int from, int count, TimeSpan interval)
    {
        using PeriodicTimer? pace = interval > TimeSpan.Zero ? new PeriodicTimer(interval) : null;
        DateTime day = DateTime.Parse(Day(run), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        for (int i = from; i < from + count; i++)
        {
            string device = $"ord-{run}-{d}";
            DateTime at = day.AddSeconds(i);
            byte[] payload = Encoding.UTF8.GetBytes($$"""{"deviceId":"{{device}}","patientId":"p-{{run}}-{{d / 4}}","measurementTime":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + i}}}""");
            MqttPublishResult result = await client.PublishAsync($"devices/{device}/messages/events/", payload, MqttQualityOfServiceLevel.AtLeastOnce);
            Assert.True(result.IsSuccess, $"message {i} of {device} was not acknowledged");
            if (pace is not null)
            {
                await pace.WaitForNextTickAsync();
            }
        }
    }
}
