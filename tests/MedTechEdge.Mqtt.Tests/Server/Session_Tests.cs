using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Sessions (MQTT 5.0 §4.1, §3.1.2.4, §3.1.2.11.2): persistence, expiry, takeover, bounded queue.</summary>
public sealed class Session_Tests
{
    [Theory]
    [InlineData("mqttv311", new[] { "-c" })]
    [InlineData("mqttv5", new[] { "-c", "-x", "300" })]
    public async Task Persistent_Session_Receives_Messages_Published_While_Offline(string version, string[] persistence)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        string[] common = ["-p", broker.PortText, "-V", version, "-i", "night-nurse", "-q", "1", "-t", "alarms/#", "-v"];
        MosquittoClientResult first = await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common, .. persistence, "-E"]);
        Assert.Equal(0, first.ExitCode);

        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pump");
        for (int i = 0; i < 3; i++)
        {
            await publisher.PublishAsync("alarms/pump", Encoding.UTF8.GetBytes($"occlusion-{i}"));
        }

        MosquittoClientResult second = await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common, .. persistence, "-C", "3"]);

        Assert.Equal(["alarms/pump occlusion-0", "alarms/pump occlusion-1", "alarms/pump occlusion-2"], second.StandardOutput.Trim().Split('\n'));
    }

    [Fact]
    public async Task Unacknowledged_Delivery_Is_Resent_With_Dup_When_The_Session_Resumes()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        // CONNECT 3.1.1, Clean Session 0, client id "raw".
        byte[] connect = RawMqttSocket.ConnectV311();
        connect[9] = 0x00;
        await using (RawMqttSocket first = await RawMqttSocket.ConnectAsync(broker.Port))
        {
            await first.SendAsync(connect);
            Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, await first.ReadAsync(4, Peers.Timeout));
            // SUBSCRIBE id 1 "q" QoS 1.
            await first.SendAsync(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'q', 0x01);
            Assert.Equal(new byte[] { 0x90, 0x03, 0x00, 0x01, 0x01 }, await first.ReadAsync(5, Peers.Timeout));
            await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");
            await publisher.PublishAsync("q", Encoding.UTF8.GetBytes("v"));

            // PUBLISH QoS 1, DUP 0: 32 06 0001 71 id(2) 76. Not acknowledged.
            byte[] delivered = await first.ReadAsync(8, Peers.Timeout);
            Assert.Equal(0x32, delivered[0]);
        }

        await using RawMqttSocket second = await RawMqttSocket.ConnectAsync(broker.Port);
        await second.SendAsync(connect);

        // CONNACK with Session Present [MQTT-3.2.2-2], then the same PUBLISH with DUP set [MQTT-3.3.1-1] [MQTT-4.4.0-1].
        Assert.Equal(new byte[] { 0x20, 0x02, 0x01, 0x00 }, await second.ReadAsync(4, Peers.Timeout));
        byte[] resent = await second.ReadAsync(8, Peers.Timeout);
        Assert.Equal(0x3A, resent[0]);
        Assert.Equal((byte)'v', resent[^1]);
    }

    [Fact]
    public async Task Clean_Session_Forgets_Subscriptions_At_Disconnect()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-i", "forgetful", "-q", "1", "-t", "alarms/#", "-E");
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pump");
        await publisher.PublishAsync("alarms/pump", Encoding.UTF8.GetBytes("lost"));

        MosquittoClientResult second = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-i", "forgetful", "-c", "-q", "1", "-t", "other", "-W", "1");

        Assert.Equal(string.Empty, second.StandardOutput.Trim());
    }

    [Fact]
    public async Task Session_Expires_After_Its_Interval()
    {
        var clock = new TestClock();
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TimeProvider = clock);
        string[] common = ["-p", broker.PortText, "-V", "mqttv5", "-i", "brief", "-q", "1", "-t", "alarms/#", "-c", "-x", "1"];
        await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common, "-E"]);
        // The expiry waits on the broker's clock from the disconnect; the test moves it past the interval.
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pump");
        await publisher.PublishAsync("alarms/pump", Encoding.UTF8.GetBytes("after-expiry"));

        MosquittoClientResult second = await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common.Where(a => a != "alarms/#"), "other", "-W", "1"]);

        Assert.Equal(string.Empty, second.StandardOutput.Trim());
    }

    [Fact]
    public async Task Second_Connection_With_The_Same_Client_Id_Takes_The_Session_Over()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient first = await Peers.ConnectAsync(broker.Port, "bed-5");

        await using MqttClient second = await Peers.ConnectAsync(broker.Port, "bed-5");

        await first.Completion.WaitAsync(Peers.Timeout);
        Assert.Equal(MqttDisconnectReasonCode.SessionTakenOver, first.ServerDisconnectReason);
        Assert.True(second.IsConnected);
        Assert.True((await second.PublishAsync("still/here", Encoding.UTF8.GetBytes("x"))).IsSuccess);
    }

    [Fact]
    public async Task Offline_Queue_Is_Bounded_And_Drops_Are_Counted()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.MaxQueuedMessagesPerClient = 5);
        string[] common = ["-p", broker.PortText, "-i", "slow", "-c", "-q", "1", "-t", "flood/#", "-v"];
        await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common, "-E"]);
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "flooder");
        for (int i = 0; i < 12; i++)
        {
            await publisher.PublishAsync("flood/x", Encoding.UTF8.GetBytes(Peers.Text(i)));
        }

        MosquittoClientResult second = await MosquittoClients.SubscribeAsync(Peers.Timeout, [.. common, "-W", "2"]);

        Assert.Equal(["flood/x 0", "flood/x 1", "flood/x 2", "flood/x 3", "flood/x 4"], second.StandardOutput.Trim().Split('\n'));
        Assert.Equal(7, broker.Server.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task V311_Empty_Client_Id_Without_Clean_Session_Is_Rejected()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using var client = new MqttClient();

        MqttConnectResult result = await client.ConnectAsync(new MqttClientOptions { Port = broker.Port, ProtocolVersion = MqttProtocolVersion.V311, CleanStart = false }, CancellationToken.None);

        // [MQTT-3.1.3-8]: return code 0x02 identifier rejected.
        Assert.Equal(MqttConnectReasonCode.ClientIdentifierNotValid, result.ReasonCode);
    }

    [Fact]
    public async Task V5_Empty_Client_Id_Gets_An_Assigned_Identifier()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using var client = new MqttClient();

        MqttConnectResult result = await client.ConnectAsync(new MqttClientOptions { Port = broker.Port }, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.False(string.IsNullOrEmpty(result.AssignedClientId));
    }
}
