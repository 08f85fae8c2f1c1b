using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Issue 13, two tiers: an edge module (MQTT in, sink <c>EventHub</c> with <c>Content=Measurements</c>) sends the
/// normalized measurements to a hub; a cloud module (the Event Hubs ingress, no MQTT) reads them with a device mapping
/// for MedTech's measurement schema (EndToEnd/Mappings/measurement-devicecontent.json) and the same FHIR mapping, and
/// writes to one FHIR server. The same device messages go to a single module (MQTT in, FHIR out) writing to another.
/// The two servers end up with the same Patients, Devices and Observations: the same ids, codes, values, effective
/// times, SampledData and references. Only what the server or the clock stamps differs (<c>meta</c>, <c>issued</c>).
/// </summary>
public sealed class TwoTierTests : IDisposable
{
    private const string ConsumerGroup = "cloud";
    private const int Devices = 4;
    private const int Readings = 6;
    private readonly TestFolder _root = new("medtechedge-twotier-");
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_Edge_Module_Through_A_Hub_To_A_Cloud_Module_Makes_The_Observations_A_Single_Module_Makes()
    {
        using var hub = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 4, ConsumerGroups = ["$Default", ConsumerGroup] });
        var cloudFhir = new FhirPeerFixture();
        var directFhir = new FhirPeerFixture();
        await Task.WhenAll(cloudFhir.InitializeAsync(), directFhir.InitializeAsync());
        string mapping = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Mappings", "measurement-devicecontent.json");
        // ECG windows are written a second after their last sample, in both tiers alike.
        const string Flush = "--MedTechEdge:Pipeline:SampledDataFlushInterval=00:00:01";
        ModuleProcess? edge = null, cloud = null, direct = null;
        try
        {
            Task<ModuleProcess> startingEdge = ModuleProcess.StartAsync(
                _root.Sub("edge"),
                "--MedTechEdge:Sink=EventHub",
                "--MedTechEdge:EventHub:ConnectionString=" + hub.ConnectionString,
                "--MedTechEdge:EventHub:Content=Measurements");
            Task<ModuleProcess> startingCloud = ModuleProcess.StartWithoutMqttAsync(
                _root.Sub("cloud"),
                "--MedTechEdge:Dashboard:Enabled=false",
                "--MedTechEdge:EventHubIngress:Enabled=true",
                "--MedTechEdge:EventHubIngress:ConnectionString=" + hub.ConnectionString,
                "--MedTechEdge:EventHubIngress:ConsumerGroup=" + ConsumerGroup,
                "--MedTechEdge:Mappings:Device=" + mapping,
                "--MedTechEdge:Fhir:Url=" + cloudFhir.BaseUrl,
                Flush);
            Task<ModuleProcess> startingDirect = ModuleProcess.StartAsync(
                _root.Sub("direct"),
                "--MedTechEdge:Fhir:Url=" + directFhir.BaseUrl,
                Flush);
            edge = await startingEdge;
            cloud = await startingCloud;
            direct = await startingDirect;

            List<(string Device, string Body)> messages = Messages();
            await Task.WhenAll(PublishAsync(edge, messages), PublishAsync(direct, messages));

            // Every measurement went up as one event in MedTech's schema, keyed by its device.
            int measurements = Devices * ((Readings * 4) + 4);
            IReadOnlyList<EventHubsRecordedEvent> events = await hub.WaitForEventsAsync(measurements, TimeSpan.FromSeconds(60));
            Assert.Equal(measurements, events.Count);
            Assert.All(events, e =>
            {
                Assert.Equal("Measurement", e.Properties["kind"]);
                using JsonDocument body = JsonDocument.Parse(e.Body);
                Assert.Equal(e.PartitionKey, body.RootElement.GetProperty("deviceId").GetString());
                Assert.True(body.RootElement.TryGetProperty("type", out _), "not a measurement: " + Encoding.UTF8.GetString(e.Body));
            });

            // Per reading: heart rate and SpO2 (one message), blood pressure, temperature; per device one ECG strip.
            int observations = (Devices * Readings * 4) + Devices;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string difference = "not compared yet";
            await Eventually.GetAsync(
                async () =>
                {
                    Dictionary<string, JsonNode> fromCloud = await ResourcesAsync(http, cloudFhir.BaseUrl, "Observation");
                    Dictionary<string, JsonNode> fromDirect = await ResourcesAsync(http, directFhir.BaseUrl, "Observation");
                    difference = Difference(fromCloud, fromDirect);
                    return fromDirect.Count == observations && difference.Length == 0 ? "equal" : null;
                },
                TimeSpan.FromSeconds(60),
                $"{observations} Observations, the same on both servers",
                () => difference);

            foreach (string type in (string[])["Patient", "Device"])
            {
                Dictionary<string, JsonNode> fromCloud = await ResourcesAsync(http, cloudFhir.BaseUrl, type);
                Dictionary<string, JsonNode> fromDirect = await ResourcesAsync(http, directFhir.BaseUrl, type);
                Assert.Equal(Devices, fromDirect.Count);
                Assert.True(Difference(fromCloud, fromDirect).Length == 0, Difference(fromCloud, fromDirect));
            }

            Assert.Empty(hub.Faults);
        }
        finally
        {
            foreach (ModuleProcess? module in (ModuleProcess?[])[edge, cloud, direct])
            {
                if (module is not null)
                {
                    await module.DisposeAsync();
                }
            }

            await cloudFhir.DisposeAsync();
            await directFhir.DisposeAsync();
        }
    }

    /// <summary>
    /// Device messages in the bundled sample mapping's shapes: heart rate and SpO2 in one message (two measurements),
    /// blood pressure (two values, one measurement), a temperature, times with fractions and offsets, decimals with
    /// trailing zeros; and one ECG strip per device (a correlation id, SampledData in 4 ms slots, one slot empty).
    /// </summary>
    private List<(string Device, string Body)> Messages()
    {
        var messages = new List<(string Device, string Body)>();
        DateTime day = new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(Convert.ToInt32(_run[..4], 16) % 300);
        for (int d = 0; d < Devices; d++)
        {
            string device = $"tier-{_run}-{d}";
            string ids = $$"""
                "deviceId":"{{device}}","patientId":"p-tier-{{_run}}-{{d}}"
                """;
            for (int i = 0; i < Readings; i++)
            {
                DateTimeOffset at = new DateTimeOffset(day.AddMinutes(d).AddSeconds(10 * i)).ToOffset(TimeSpan.FromHours(i % 3));
                string time = at.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
                string later = at.AddSeconds(1).AddMilliseconds(250).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
                messages.Add((device, $$"""{{{ids}},"measurementTime":"{{time}}","heartRate":{{60 + d + i}},"spo2":{{95 + (i % 4)}}.{{i % 2 * 5}}0}"""));
                messages.Add((device, $$"""{{{ids}},"measurementTime":"{{later}}","systolic":{{110 + i}},"diastolic":{{70 + d}}}"""));
                messages.Add((device, $$"""{{{ids}},"measurementTime":"{{time}}","temperature":{{36 + (i % 2)}}.{{i % 3 * 3}}}"""));
            }

            long start = new DateTimeOffset(day.AddHours(1).AddMinutes(d)).ToUnixTimeMilliseconds();
            messages.Add((device, $$"""{{{ids}},"stripId":"strip-{{_run}}-{{d}}","startTimeMs":{{start}},"ecg":[{"offsetMs":0,"mv":0.12},{"offsetMs":4,"mv":-0.05},{"offsetMs":12,"mv":1.50},{"offsetMs":16,"mv":0.3{{d}}}]}"""));
        }

        return messages;
    }

    /// <summary>Publishes each device's messages in order at QoS 1, one MQTT connection per device, and waits for every PUBACK.</summary>
    private async Task PublishAsync(ModuleProcess module, List<(string Device, string Body)> messages)
    {
        var publishers = new List<Task>();
        foreach (IGrouping<string, (string Device, string Body)> device in messages.GroupBy(m => m.Device))
        {
            publishers.Add(Task.Run(async () =>
            {
                await using var client = new MqttClient();
                await client.ConnectAsync(new MqttClientOptions { Port = module.MqttPort, ClientId = device.Key, ProtocolVersion = MqttProtocolVersion.V500, Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
                foreach ((string id, string body) in device)
                {
                    MqttPublishResult result = await client.PublishAsync($"devices/{id}/messages/events/", Encoding.UTF8.GetBytes(body), MqttQualityOfServiceLevel.AtLeastOnce);
                    Assert.True(result.IsSuccess, $"not acknowledged: {body}");
                }
            }));
        }

        await Task.WhenAll(publishers);
    }

    /// <summary>The server's resources of a type by id, without what the server stamps (<c>meta</c>) or the transform time (<c>issued</c>).</summary>
    private static async Task<Dictionary<string, JsonNode>> ResourcesAsync(HttpClient http, Uri fhir, string type)
    {
        var resources = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (JsonElement resource in await FhirObservations.SearchAsync(http, new Uri(fhir, type + "?_count=1000")))
        {
            JsonObject node = JsonNode.Parse(resource.GetRawText())!.AsObject();
            node.Remove("meta");
            node.Remove("issued");
            resources[resource.GetProperty("id").GetString()!] = node;
        }

        return resources;
    }

    /// <summary>Empty when both sides hold the same resources; otherwise the first few that differ, side by side.</summary>
    private static string Difference(Dictionary<string, JsonNode> cloud, Dictionary<string, JsonNode> direct)
    {
        var differences = new List<string>();
        foreach (string id in direct.Keys.Union(cloud.Keys))
        {
            JsonNode? a = cloud.GetValueOrDefault(id);
            JsonNode? b = direct.GetValueOrDefault(id);
            if (!JsonNode.DeepEquals(a, b))
            {
                differences.Add($"{id}:\n  two tiers: {a?.ToJsonString() ?? "missing"}\n  one module: {b?.ToJsonString() ?? "missing"}");
            }
        }

        return differences.Count == 0 ? string.Empty : $"{differences.Count} differ, e.g.\n" + string.Join("\n", differences.Take(3));
    }
}
