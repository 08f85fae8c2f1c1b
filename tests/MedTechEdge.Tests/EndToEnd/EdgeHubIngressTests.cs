using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Device messages from IoT Edge routes: the module connects as a module client to edgeHub's MQTT head (Mosquitto
/// stands in for it here, without TLS), subscribes to its inputs, and ingests the messages on its device input with the
/// envelope IoT Hub gives them. Messages on other inputs are acknowledged and left out.
/// </summary>
public sealed class EdgeHubIngressTests : IAsyncLifetime
{
    private readonly MosquittoFixture _edgeHub = new();

    public Task InitializeAsync() => _edgeHub.InitializeAsync();

    public Task DisposeAsync() => _edgeHub.DisposeAsync();

    [Fact]
    public async Task A_Routed_Message_On_The_Device_Input_Is_Ingested_With_Its_IoT_Hub_Envelope()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            "--MedTechEdge:EdgeHub:ConnectionString=HostName=hub.azure-devices.net;GatewayHostName=127.0.0.1;DeviceId=gw-1;ModuleId=MedTechEdge;SharedAccessKey=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "--MedTechEdge:EdgeHub:Port=" + _edgeHub.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--MedTechEdge:EdgeHub:UseTls=false");
        // Subscribed once a probe on another input reaches the module (edgeHub queues nothing for a session not yet made).
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (module.EdgeHub.Handler.IgnoredCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the module never subscribed to its inputs");
            await PublishAsync("devices/gw-1/modules/MedTechEdge/inputs/probe/", "{}");
            await Task.Delay(200);
        }

        long ignored = module.EdgeHub.Handler.IgnoredCount;

        // As edgeHub delivers a routed message: the input, then the URL-encoded property bag.
        const string bag = "%24.cdid=bed-9&%24.ctime=2026-11-21T10%3A00%3A00.0000000Z&%24.ct=application%2Fjson&ward=4B";
        await PublishAsync("devices/gw-1/modules/MedTechEdge/inputs/telemetry-other/" + bag, """{"deviceId":"other","patientId":"p","measurementTime":"2026-11-21T10:00:00Z","heartRate":50}""");
        await PublishAsync("devices/gw-1/modules/MedTechEdge/inputs/devicedata/" + bag, """{"deviceId":"bed-9","patientId":"p-9","measurementTime":"2026-11-21T10:00:00Z","heartRate":61}""");

        // Patient, Device and Observation of bed-9 only.
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(30), "the routed message delivered");
        // The other input's message is left out at the ingress, before the inbox: once counted there it can never be
        // persisted, so the count below is final without waiting for time to pass.
        await Eventually.TrueAsync(() => module.EdgeHub.Handler.IgnoredCount > ignored, TimeSpan.FromSeconds(30), "the other input's message acknowledged and left out");
        Assert.Equal(3, module.Persist.PersistedCount);
        string observations = await File.ReadAllTextAsync(Path.Combine(module.Folder, "fhir", "Observation.ndjson"));
        Assert.Contains("\"value\":61", observations, StringComparison.Ordinal);
        Assert.DoesNotContain("\"value\":50", observations, StringComparison.Ordinal);
        Assert.True(module.EdgeHub.Handler.IgnoredCount > ignored, "the message on the other input was acknowledged and left out");
    }

    private async Task PublishAsync(string topic, string json)
    {
        MosquittoClientResult result = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", _edgeHub.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", json);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }
}
