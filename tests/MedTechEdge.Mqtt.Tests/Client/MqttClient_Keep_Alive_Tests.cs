using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>The client's side of Keep Alive (MQTT 5.0 §3.1.2.10) and connection results.</summary>
public sealed class MqttClient_Keep_Alive_Tests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Idle_Client_Sends_PingReq_So_The_Server_Keeps_It(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "idle", version, o => o.KeepAlive = TimeSpan.FromSeconds(2));

        // Well past the server's 3 s limit (1.5 x Keep Alive) for a client that sends nothing.
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.True(client.IsConnected);
        Assert.True((await client.PublishAsync("a", Encoding.UTF8.GetBytes("x"))).IsSuccess);
    }

    [Fact]
    public async Task Publish_When_Not_Connected_Throws()
    {
        await using var client = new MqttClient();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PublishAsync("a", Encoding.UTF8.GetBytes("x")));
    }

    [Fact]
    public async Task Pending_Publishes_Fail_When_The_Connection_Drops()
    {
        var gate = new TaskCompletionSource<MedTechEdge.Mqtt.Server.MqttIngestResult>();
        var handler = new RecordingIngestHandler { Behaviour = _ => new ValueTask<MedTechEdge.Mqtt.Server.MqttIngestResult>(gate.Task) };
        EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "dev", MqttProtocolVersion.V311);
        Task<MqttPublishResult> publish = client.PublishAsync("devices/dev/messages/events/", Encoding.UTF8.GetBytes("x"));
        await handler.WaitForAsync(1, Peers.Timeout);

        await broker.DisposeAsync();

        await Assert.ThrowsAsync<IOException>(() => publish.WaitAsync(Peers.Timeout));
    }
}
