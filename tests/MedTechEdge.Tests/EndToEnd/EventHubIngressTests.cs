using System.Globalization;
using System.Text.Json;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Ingress;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The module as a cloud MedTech replacement: the Event Hubs ingress alone (MQTT listener off) reads events that
/// Microsoft's Node SDK sent into the AMQP peer, and the FHIR sink writes them to the FHIR peer.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class EventHubIngressTests(FhirPeerFixture fhir)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Device_Json_Sent_By_The_Node_Sdk_Becomes_Observations_With_The_Mqtt_Listener_Off()
    {
        using var hub = new EventHubsAmqpPeer();
        string device = "eh-" + Guid.NewGuid().ToString("N")[..8];
        var events = new List<EventHubSender.Event>();
        for (int i = 0; i < 12; i++)
        {
            events.Add(new EventHubSender.Event(DeviceJson(device, i), (i % 4).ToString(CultureInfo.InvariantCulture), new Dictionary<string, object> { ["source"] = "bedside" }));
        }

        await using ModuleUnderTest module = await StartAsync(hub);
        Assert.Null(module.Services.GetService<MqttListenerService>());
        await EventHubSender.SendAsync(hub.ConnectionString, events);

        using var http = new HttpClient();
        List<JsonElement> observations = await WaitForObservationsAsync(http, device, 12);
        var values = observations.Select(o => o.GetProperty("valueQuantity").GetProperty("value").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(60, 12), values);

        EventHubIngressMetrics metrics = module.Services.GetRequiredService<EventHubIngressService>().Metrics;
        Assert.Equal(4, metrics.OwnedPartitions);
        Assert.Equal(12, metrics.Snapshot().Sum(p => p.Received));
        string scrape = await http.GetStringAsync(new Uri($"http://{module.MetricsEndPoint}/metrics"));
        Assert.Contains("medtechedge_eventhub_partitions_owned{", scrape, StringComparison.Ordinal);
        Assert.Contains("partition=\"3\"} 3", scrape, StringComparison.Ordinal);
        Assert.Contains("medtechedge_incoming_messages_total{", scrape, StringComparison.Ordinal);
        Assert.Contains("source=\"eventhub\"} 12", scrape, StringComparison.Ordinal);
        // Ready with the Event Hubs ingress as its only ingress: /readyz asks it, not the MQTT listener.
        using HttpResponseMessage ready = await http.GetAsync(new Uri($"http://{module.MetricsEndPoint}/readyz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Empty(hub.Faults);
    }

    [Fact]
    public async Task An_IoT_Hub_Routed_Event_Maps_With_An_IotJsonPathContent_Template_From_Its_System_Properties()
    {
        using var hub = new EventHubsAmqpPeer();
        string device = "routed-" + Guid.NewGuid().ToString("N")[..8];
        var enqueued = new DateTime(2026, 12, 6, 8, 30, 15, DateTimeKind.Utc);
        string mapping = Path.Combine(Path.GetTempPath(), "medtechedge-iotjsonpath-" + Guid.NewGuid().ToString("N") + ".json");
        // MedTech's IotJsonPathContent: the device id is $.SystemProperties.iothub-connection-device-id and, without
        // iothub-creation-time-utc, the time is $.SystemProperties.iothub-enqueuedtime (medtech-semantics §2.4).
        await File.WriteAllTextAsync(mapping, """
            {"templateType":"CollectionContent","template":[{"templateType":"IotJsonPathContent","template":{
              "typeName":"heartrate","typeMatchExpression":"$..[?(@Body.heartRate)]","patientIdExpression":"$.Body.patientId",
              "values":[{"valueName":"hr","valueExpression":"$.Body.heartRate","required":true}]}}]}
            """);
        try
        {
            await using ModuleUnderTest module = await StartAsync(hub, "--MedTechEdge:Mappings:Device=" + mapping);
            await EventHubSender.SendAsync(hub.ConnectionString,
            [
                new EventHubSender.Event("""{"heartRate":77,"patientId":"p-routed"}""", "2", new Dictionary<string, object> { ["ward"] = "4B" },
                    new Dictionary<string, object> { ["iothub-connection-device-id"] = device, ["iothub-enqueuedtime"] = enqueued, ["iothub-message-source"] = "Telemetry" }),
            ]);

            using var http = new HttpClient();
            List<JsonElement> found = [];
            try
            {
                found = await WaitForObservationsAsync(http, device, 1);
            }
            catch (Xunit.Sdk.FailException)
            {
                Assert.Fail("no Observation; dead letters: " + string.Join("; ", DeadLettersOf(module).Select(l => $"{l.KindName}: {l.Error} {l.Message.SystemPropertiesJson}")));
            }

            JsonElement observation = Assert.Single(found);
            Assert.Equal(77, observation.GetProperty("valueQuantity").GetProperty("value").GetInt32());
            Assert.Equal("2026-12-06T08:30:15.0000000Z", observation.GetProperty("effectivePeriod").GetProperty("start").GetString());
            Assert.Empty(hub.Faults);
        }
        finally
        {
            File.Delete(mapping);
        }
    }

    [Fact]
    public async Task A_Restart_Resumes_From_The_Checkpoint_And_Reads_No_Checkpointed_Event_Again()
    {
        using var hub = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 2 });
        string device = "restart-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient();
        string folder;
        await using (ModuleUnderTest first = await StartAsync(hub))
        {
            first.KeepFolder = true;
            folder = first.Folder;
            await EventHubSender.SendAsync(hub.ConnectionString, [.. Enumerable.Range(0, 10).Select(i => new EventHubSender.Event(DeviceJson(device, i), (i % 2).ToString(CultureInfo.InvariantCulture)))]);
            await WaitForObservationsAsync(http, device, 10);
        }

        await EventHubSender.SendAsync(hub.ConnectionString, [.. Enumerable.Range(10, 5).Select(i => new EventHubSender.Event(DeviceJson(device, i), (i % 2).ToString(CultureInfo.InvariantCulture)))]);
        await using ModuleUnderTest second = await StartInAsync(hub, folder);
        await WaitForObservationsAsync(http, device, 15);

        // The second run read the five new events and none of the ten before them.
        EventHubIngressMetrics metrics = second.Services.GetRequiredService<EventHubIngressService>().Metrics;
        await Eventually.TrueAsync(() => metrics.Snapshot().Sum(p => p.Received) >= 5, s_deadline, "the new events read");
        Assert.Equal(5, metrics.Snapshot().Sum(p => p.Received));
        Assert.Contains("amqp.annotation.x-opt-sequence-number > 4", hub.ReceiveFilters);
        Assert.Empty(hub.Faults);
    }

    [Fact]
    public async Task A_Non_Json_Event_And_One_Over_MaxEventBytes_Are_Dead_Letters_And_The_Partition_Goes_On()
    {
        using var hub = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 1 });
        string device = "bad-" + Guid.NewGuid().ToString("N")[..8];
        await using ModuleUnderTest module = await StartAsync(hub, "--MedTechEdge:EventHubIngress:MaxEventBytes=2048");
        await EventHubSender.SendAsync(hub.ConnectionString,
        [
            new EventHubSender.Event(DeviceJson(device, 0)),
            new EventHubSender.Event("heart rate 61, not JSON"),
            new EventHubSender.Event("{\"pad\":\"" + new string('x', 3000) + "\"}"),
            new EventHubSender.Event(DeviceJson(device, 3)),
        ]);

        using var http = new HttpClient();
        Assert.Equal(2, (await WaitForObservationsAsync(http, device, 2)).Count);
        List<DeadLetter> letters = await Eventually.GetAsync(() => Task.FromResult(DeadLettersOf(module) is { Count: >= 2 } l ? l : null), s_deadline, "two dead letters");
        Assert.True(letters.Count == 2, string.Join("; ", letters.Select(l => $"{l.KindName}: {l.Error}")));
        DeadLetter invalid = Assert.Single(letters, l => l.Kind == DeadLetterKind.InvalidDeviceMessage);
        Assert.Equal("heart rate 61, not JSON", System.Text.Encoding.UTF8.GetString(invalid.Message.Body));
        Assert.Equal(MessageSources.EventHub, invalid.Message.Source);
        DeadLetter tooLarge = Assert.Single(letters, l => l.Kind == DeadLetterKind.EventTooLarge);
        Assert.Equal(PipelineStage.Ingest, tooLarge.Stage);
        Assert.Contains("\"x-opt-sequence-number\":2", tooLarge.Message.SystemPropertiesJson, StringComparison.Ordinal);
    }

    private Task<ModuleUnderTest> StartAsync(EventHubsAmqpPeer hub, params string[] extra) => StartInAsync(hub, null, extra);

    private async Task<ModuleUnderTest> StartInAsync(EventHubsAmqpPeer hub, string? folder, params string[] extra)
    {
        string[] args =
        [
            "--MedTechEdge:Mqtt:Enabled=false",
            "--MedTechEdge:EventHubIngress:Enabled=true",
            "--MedTechEdge:EventHubIngress:ConnectionString=" + hub.ConnectionString,
            "--MedTechEdge:EventHubIngress:LoadBalancingInterval=00:00:01",
            .. extra,
        ];
        return folder is null ? await ModuleUnderTest.StartAsync(fhir.BaseUrl, args) : await ModuleUnderTest.StartInAsync(folder, fhir.BaseUrl, args);
    }

    private async Task<List<JsonElement>> WaitForObservationsAsync(HttpClient http, string device, int count)
    {
        List<JsonElement> found = [];
        await Eventually.TrueAsync(() =>
        {
            found = FhirObservations.OfDeviceAsync(http, fhir.BaseUrl, device).GetAwaiter().GetResult();
            return found.Count >= count;
        }, s_deadline, $"{count} Observations of {device} on the FHIR server");
        return found;
    }

    private static List<DeadLetter> DeadLettersOf(ModuleUnderTest module)
    {
        using var connection = new SqliteConnection("Data Source=" + module.StorePath + ";Pooling=False");
        connection.Open();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 100, letters);
        return letters;
    }

    internal static string DeviceJson(string device, int i) =>
        $$"""{"deviceId":"{{device}}","patientId":"p-{{device}}","measurementTime":"{{new DateTime(2026, 12, 6, 7, 0, 0, DateTimeKind.Utc).AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + i}}}""";
}
