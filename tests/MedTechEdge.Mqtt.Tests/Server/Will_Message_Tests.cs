using MedTechEdge.Mqtt.Tests.Client;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Will messages (MQTT 5.0 §3.1.2.5, §3.1.3.2) with a killed mosquitto_sub as the dying client.</summary>
public sealed class Will_Message_Tests
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Will_Is_Published_When_The_Client_Dies_Without_Disconnect(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "wills/#", "-v");
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", version, "-t", "ignored", "-i", "dying",
            "--will-topic", "wills/dying", "--will-payload", "offline", "--will-qos", "1");
        await WaitForConnectionsAsync(broker, 2);

        await dying.KillAsync();

        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "wills/dying offline");
    }

    [Fact]
    public async Task Will_Is_Discarded_On_A_Normal_Disconnect()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "wills/#", "-v");
        await WaitForConnectionsAsync(broker, 1);

        // mosquitto_sub -C 1 -W 1 times out and sends DISCONNECT.
        MosquittoClientResult polite = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-t", "ignored", "-W", "1",
            "--will-topic", "wills/polite", "--will-payload", "offline");
        await Task.Delay(500);

        Assert.DoesNotContain("wills/polite", watcher.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Will_Delay_Holds_The_Will_Back_For_The_Interval()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "wills/#", "-v");
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "delayed",
            "-x", "60", "--will-topic", "wills/delayed", "--will-payload", "offline", "-D", "will", "will-delay-interval", "2");
        await WaitForConnectionsAsync(broker, 2);

        await dying.KillAsync();
        await Task.Delay(1000);
        Assert.DoesNotContain("wills/delayed", watcher.StandardOutput, StringComparison.Ordinal);

        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "wills/delayed offline");
    }

    [Fact]
    public async Task Reconnecting_Within_The_Will_Delay_Cancels_The_Will()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "wills/#", "-v");
        // A will delay long enough that the reconnect (a new mosquitto_sub process) lands inside it even on a loaded
        // machine; the check runs after the delay would have fired.
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "back-soon",
            "-c", "-x", "60", "--will-topic", "wills/back-soon", "--will-payload", "offline", "-D", "will", "will-delay-interval", "8");
        await WaitForConnectionsAsync(broker, 2);
        await dying.KillAsync();
        var killed = System.Diagnostics.Stopwatch.StartNew();

        await using RunningMosquittoClient back = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "back-soon", "-c", "-x", "60");
        await WaitForConnectionsAsync(broker, 2);
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(8), $"the reconnect took {killed.Elapsed.TotalSeconds:F1} s, longer than the will delay");
        await Task.Delay(TimeSpan.FromSeconds(9) - killed.Elapsed);

        Assert.DoesNotContain("wills/back-soon", watcher.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Takeover_Within_The_Will_Delay_Keeps_The_Will_Back_Unless_Clean_Start_Ends_The_Session(bool cleanStart, bool willExpected)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "w/#", "-v");
        await WaitForConnectionsAsync(broker, 1);
        await using RawMqttSocket first = await RawMqttSocket.ConnectAsync(broker.Port);
        // CONNECT 5.0, clean start + will, Session Expiry 60, client id "raw", Will Delay 2, will topic "w/x", payload "bye".
        await first.SendAsync([0x10, 0x25, 0x00, 0x04, .. "MQTT"u8, 0x05, 0x06, 0x00, 0x3C, 0x05, 0x11, 0x00, 0x00, 0x00, 0x3C,
            0x00, 0x03, .. "raw"u8, 0x05, 0x18, 0x00, 0x00, 0x00, 0x02, 0x00, 0x03, .. "w/x"u8, 0x00, 0x03, .. "bye"u8]);
        byte[] head = await first.ReadAsync(2, Peers.Timeout);
        await first.ReadAsync(head[1], Peers.Timeout);

        // The same client id while the first connection is still open: the first is taken over [MQTT-3.1.4-3].
        await using RawMqttSocket second = await RawMqttSocket.ConnectAsync(broker.Port);
        await second.SendAsync([0x10, 0x15, 0x00, 0x04, .. "MQTT"u8, 0x05, cleanStart ? (byte)0x02 : (byte)0x00, 0x00, 0x3C, 0x05, 0x11, 0x00, 0x00, 0x00, 0x3C,
            0x00, 0x03, .. "raw"u8]);
        head = await second.ReadAsync(2, Peers.Timeout);
        byte[] connack = await second.ReadAsync(head[1], Peers.Timeout);
        Assert.Equal(0x20, head[0]);
        Assert.Equal(cleanStart ? 0x00 : 0x01, connack[0]);

        if (willExpected)
        {
            // Clean Start ended the old session, and a will is sent when its session ends, whichever is first (§3.1.3.2.2).
            await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "w/x bye");
        }
        else
        {
            // The session was resumed within the delay: the will is never sent [MQTT-3.1.3-9].
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.DoesNotContain("w/x", watcher.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    public async Task V5_Disconnect_Other_Than_Normal_Keeps_The_Will(byte reason)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RunningMosquittoClient watcher = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-t", "w/#", "-v");
        await WaitForConnectionsAsync(broker, 1);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        // CONNECT 5.0, clean start + will, client id "raw", will topic "w/x", will payload "bye".
        await raw.SendAsync([0x10, 0x1B, 0x00, 0x04, .. "MQTT"u8, 0x05, 0x06, 0x00, 0x3C, 0x00, 0x00, 0x03, .. "raw"u8, 0x00, 0x00, 0x03, .. "w/x"u8, 0x00, 0x03, .. "bye"u8]);
        byte[] head = await raw.ReadAsync(2, Peers.Timeout);
        await raw.ReadAsync(head[1], Peers.Timeout);

        await raw.SendAsync(0xE0, 0x01, reason);

        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "w/x bye");
    }

    internal static async Task WaitForConnectionsAsync(EmbeddedBroker broker, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (broker.Server.Statistics.ConnectedClients < count)
        {
            Assert.True(clock.Elapsed < Peers.Timeout, "Clients did not connect.");
            await Task.Delay(20);
        }

        // Give mosquitto_sub time to send SUBSCRIBE after CONNACK.
        await Task.Delay(200);
    }
}
