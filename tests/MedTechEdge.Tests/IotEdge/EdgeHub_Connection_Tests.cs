using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>
/// The module inside IoT Edge when edgeHub misbehaves: unreachable at start, restarted under the module, a token that
/// expires; and the EdgeHub sink, which leaves the store only what edgeHub acknowledged.
/// </summary>
public sealed class EdgeHub_Connection_Tests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task The_EdgeHub_Sink_Sends_Normalized_Measurements_On_Its_Output_With_The_Property_Bag()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub, "--MedTechEdge:Sink=EdgeHub");
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        await hub.SendToInputAsync("devicedata", EdgeHubRig.HeartRate, EdgeHubRig.Bag);

        (string Topic, string Body) output = await EdgeHubRig.WaitForOutputAsync(hub, "normalized");
        // As the device SDKs send it (protocols.md C.2): output name, JSON content type and encoding, the application properties, a closing slash.
        Assert.StartsWith("devices/gw-1/modules/MedTechEdge/messages/events/%24.on=normalized&%24.ct=application%2Fjson&%24.ce=utf-8&", output.Topic, StringComparison.Ordinal);
        Assert.Contains("deviceId=bed-9", output.Topic, StringComparison.Ordinal);
        Assert.EndsWith("/", output.Topic, StringComparison.Ordinal);
        using JsonDocument measurement = JsonDocument.Parse(output.Body);
        Assert.Equal("heartrate", measurement.RootElement.GetProperty("type").GetString());
        await Eventually.TrueAsync(() => module.Persist.PersistedCount == 1, s_timeout, "the outbox record acknowledged");
    }

    [Fact]
    public async Task Without_edgeHub_The_Module_Runs_And_Stores_And_Connects_When_edgeHub_Comes()
    {
        FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await hub.StopBrokerAsync();
        try
        {
            await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub, "--MedTechEdge:Sink=EdgeHub", "--MedTechEdge:EdgeHub:Content=Resources");

            // Devices on the module's own MQTT listener are still taken in and kept in the store.
            await module.PublishAsync("bed-1", """{"deviceId":"bed-1","patientId":"p-1","measurementTime":"2026-11-21T10:00:00Z","heartRate":70}""");
            await module.PublishAsync("bed-2", "{broken");
            await Eventually.TrueAsync(() => module.Map.MappedCount == 2 && module.Map.DeadLetteredCount == 1, s_timeout, "the messages mapped while edgeHub is away");
            Assert.False(module.EdgeHub.Client.IsConnected);
            Assert.Equal(0, module.Persist.PersistedCount);

            await hub.StartAgainAsync();

            // Patient, Device, Observation go out on 'observations' once edgeHub is there.
            await Eventually.TrueAsync(() => module.Persist.PersistedCount == 3, TimeSpan.FromSeconds(90), "the stored resources sent once edgeHub came");
            Assert.Contains(hub.Outputs, o => o.Topic.Contains("%24.on=observations", StringComparison.Ordinal) && o.Body.Contains("\"Observation\"", StringComparison.Ordinal));
            // The dead letter made while edgeHub was away goes out too.
            (string _, string letter) = await EdgeHubRig.WaitForOutputAsync(hub, "deadletters");
            Assert.Contains("{broken", letter, StringComparison.Ordinal);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_Routed_Message_Counts_As_Incoming_From_edgeHub_In_The_Metrics()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        await hub.SendToInputAsync("devicedata", EdgeHubRig.HeartRate, EdgeHubRig.Bag);
        await Eventually.TrueAsync(() => module.Map.MappedCount == 1, s_timeout, "the routed message mapped");

        using var http = new HttpClient();
        string metrics = await http.GetStringAsync($"http://{module.MetricsEndPoint}/metrics");
        Assert.Matches(@"medtechedge_incoming_messages_total\{[^}]*source=""edgehub""\} 1\n", metrics);
        Assert.Matches(@"medtechedge_edgehub_connected\{[^}]*\} 1\n", metrics);
    }

    [Fact]
    public async Task After_An_edgeHub_Restart_The_Module_Subscribes_Again_And_Reads_Its_Twin_Again()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);
        int reads = hub.TwinReads;

        await hub.StopBrokerAsync();
        await Eventually.TrueAsync(() => !module.EdgeHub.Client.IsConnected, s_timeout, "the loss noticed");
        await hub.StartAgainAsync();

        await Eventually.TrueAsync(() => hub.TwinReads > reads, TimeSpan.FromSeconds(90), "the twin read again after the reconnect");
        await hub.SendToInputAsync("devicedata", EdgeHubRig.HeartRate, EdgeHubRig.Bag);
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, s_timeout, "a message after the restart persisted");
    }

    [Fact]
    public async Task The_Sas_Token_Is_Renewed_Before_It_Expires_By_A_New_Connection()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        // Tokens of 3 s, renewed at 80 %: a new connection with a new token about every 2.4 s. Real time on purpose: the
        // whole module keeps ingesting across renewals here; the renewal's timing itself is tested on the test clock
        // (MedTechEdge.IotEdge.Tests, EdgeModuleClientTokenRenewalTests).
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub, "--MedTechEdge:EdgeHub:TokenLifetime=00:00:03");
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        await Eventually.TrueAsync(() => module.EdgeHub.Client.TokensIssued >= 3, s_timeout, "three tokens");

        await Eventually.TrueAsync(() => module.EdgeHub.Client.IsConnected, s_timeout, "connected after the renewals");
        await hub.SendToInputAsync("devicedata", EdgeHubRig.HeartRate, EdgeHubRig.Bag);
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, s_timeout, "ingest across renewals");
    }
}
