using System.Globalization;
using MedTechEdge.Ingress;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>Connect mode: the module subscribes to the gateway's own Mosquitto instead of being the broker.</summary>
public sealed class ConnectModeTests : IAsyncLifetime
{
    private readonly MosquittoFixture _mosquitto = new();

    public Task InitializeAsync() => _mosquitto.InitializeAsync();

    public Task DisposeAsync() => _mosquitto.DisposeAsync();

    [Fact]
    public async Task Messages_Published_To_An_External_Mosquitto_Are_Ingested_And_Acknowledged_After_Commit()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            "--MedTechEdge:Mqtt:Enabled=false",
            "--MedTechEdge:MqttBroker:Enabled=true",
            "--MedTechEdge:MqttBroker:Port=" + _mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            "--MedTechEdge:MqttBroker:ClientId=medtechedge-" + Guid.NewGuid().ToString("N")[..8]);
        MqttSubscriberService subscriber = module.Services.GetRequiredService<MqttSubscriberService>();
        await Eventually.TrueAsync(() => subscriber.Statistics.Connects >= 1, TimeSpan.FromSeconds(20), "the subscription");

        MosquittoClientResult published = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20),
            "-h", _mosquitto.Host, "-p", _mosquitto.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-V", "mqttv311",
            "-t", "devices/ext-1/messages/events/", "-m", """{"deviceId":"ext-1","patientId":"p","measurementTime":"2026-11-21T11:00:00Z","spo2":96}""");
        Assert.True(published.ExitCode == 0, published.StandardError);

        string observations = Path.Combine(module.NdjsonFolder, "Observation.ndjson");
        await Eventually.TrueAsync(() => File.Exists(observations) && File.ReadAllText(observations).Contains("59408-5", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the SpO2 Observation");
        await Eventually.TrueAsync(() => subscriber.Statistics.MessagesAcknowledged == 1, TimeSpan.FromSeconds(10), "the acknowledgement to Mosquitto");
    }
}
