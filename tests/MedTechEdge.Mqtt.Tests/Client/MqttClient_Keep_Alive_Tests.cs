using System.Net;
using System.Net.Sockets;
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
    public async Task Client_Closes_The_Connection_When_The_Server_Stops_Answering_PingReq()
    {
        // A "broker" that accepts CONNECT and then never sends another byte: a half-open connection.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepted = listener.AcceptSocketAsync();
        var client = new MqttClient();
        Task<MqttConnectResult> connecting = client.ConnectAsync(
            new MqttClientOptions { Port = ((IPEndPoint)listener.LocalEndpoint).Port, ClientId = "half-open", ProtocolVersion = MqttProtocolVersion.V311, KeepAlive = TimeSpan.FromSeconds(1) },
            CancellationToken.None);
        using Socket server = await accepted;
        byte[] connect = new byte[256];
        _ = await server.ReceiveAsync(connect);
        await server.SendAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }); // CONNACK, 3.1.1, accepted
        Assert.True((await connecting).IsSuccess);

        // The PINGREQ goes unanswered and nothing is read for 1.5 x Keep Alive: the client closes (MQTT 5.0 §3.1.2.10).
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(client.IsConnected);
        await client.DisposeAsync();
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
