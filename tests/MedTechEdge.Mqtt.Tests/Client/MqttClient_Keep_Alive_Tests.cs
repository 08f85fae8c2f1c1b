using System.Net;
using System.Net.Sockets;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>The client's side of Keep Alive (MQTT 5.0 §3.1.2.10) and connection results.</summary>
public sealed class MqttClient_Keep_Alive_Tests
{
    private static readonly TimeSpan s_pingEvery = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan s_serverLimit = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Idle_Client_Sends_PingReq_So_The_Server_Keeps_It(MqttProtocolVersion version)
    {
        // Broker and client on one test clock: the client pings every 1.5 s (0.75 x Keep Alive 2), the broker gives a
        // silent client 3 s (1.5 x Keep Alive).
        var clock = new TestClock();
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TimeProvider = clock);
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "idle", version, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(2);
            o.TimeProvider = clock;
        });
        await clock.WaitForTimerAsync(s_serverLimit);
        await clock.WaitForTimerAsync(s_pingEvery);

        // The broker re-arms its 3 s when the PINGREQ arrives.
        clock.Advance(s_pingEvery);
        await clock.WaitForTimerAsync(s_serverLimit);
        await clock.WaitForTimerAsync(s_pingEvery);

        // 3 s after CONNECT: a client that had sent nothing would be disconnected now.
        clock.Advance(s_pingEvery);
        await clock.WaitForTimerAsync(s_serverLimit);

        Assert.True(client.IsConnected);
        Assert.True((await client.PublishAsync("a", Encoding.UTF8.GetBytes("x"))).IsSuccess);
        Assert.Equal(0, broker.Server.Statistics.ProtocolErrors);
    }

    [Fact]
    public async Task Client_Closes_The_Connection_When_The_Server_Stops_Answering_PingReq()
    {
        // A "broker" that accepts CONNECT and then never sends another byte: a half-open connection.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepted = listener.AcceptSocketAsync();
        var clock = new TestClock();
        var client = new MqttClient();
        Task<MqttConnectResult> connecting = client.ConnectAsync(
            new MqttClientOptions { Port = ((IPEndPoint)listener.LocalEndpoint).Port, ClientId = "half-open", ProtocolVersion = MqttProtocolVersion.V311, KeepAlive = TimeSpan.FromSeconds(1), TimeProvider = clock },
            CancellationToken.None);
        using Socket server = await accepted;
        byte[] connect = new byte[256];
        _ = await server.ReceiveAsync(connect);
        await server.SendAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }); // CONNACK, 3.1.1, accepted
        Assert.True((await connecting).IsSuccess);
        TimeSpan pingEvery = TimeSpan.FromSeconds(0.75);

        // PINGREQs at 0.75 s and 1.5 s go unanswered; the client waits for the next one, so it is still open at 1.5 x Keep Alive.
        for (int i = 0; i < 2; i++)
        {
            await clock.WaitForTimerAsync(pingEvery);
            clock.Advance(pingEvery);
        }

        await clock.WaitForTimerAsync(pingEvery);
        Assert.True(client.IsConnected);

        // Past 1.5 x Keep Alive with nothing read: the client closes (MQTT 5.0 §3.1.2.10).
        clock.Advance(pingEvery);
        await client.Completion.WaitAsync(Peers.Timeout);

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
