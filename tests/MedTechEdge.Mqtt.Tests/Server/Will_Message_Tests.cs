using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Tests.Client;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>
/// Will messages (MQTT 5.0 §3.1.2.5, §3.1.3.2) with a killed mosquitto_sub as the dying client. The broker runs on a
/// test clock: a Will Delay passes when the test advances it, and "no will" is checked against a marker published
/// after it, which the watcher prints only after anything routed before it.
/// </summary>
public sealed class Will_Message_Tests
{
    private readonly TestClock _clock = new();
    private int _markers;

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Will_Is_Published_When_The_Client_Dies_Without_Disconnect(string version)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "wills");
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", version, "-t", "ignored", "-i", "dying",
            "--will-topic", "wills/dying", "--will-payload", "offline", "--will-qos", "1");
        await WaitForConnectionsAsync(broker, 3);

        await dying.KillAsync();

        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "wills/dying offline");
    }

    [Fact]
    public async Task Will_Is_Discarded_On_A_Normal_Disconnect()
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "wills");

        // mosquitto_sub -W 1 times out and sends DISCONNECT.
        await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-t", "ignored", "-W", "1",
            "--will-topic", "wills/polite", "--will-payload", "offline");
        await WaitForConnectionsAsync(broker, 2);

        await AssertNotPublishedAsync(probe, watcher, "wills", "wills/polite");
    }

    [Fact]
    public async Task Will_Delay_Holds_The_Will_Back_For_The_Interval()
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "wills");
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "delayed",
            "-x", "60", "--will-topic", "wills/delayed", "--will-payload", "offline", "-D", "will", "will-delay-interval", "2");
        await WaitForConnectionsAsync(broker, 3);

        await dying.KillAsync();
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        await AssertNotPublishedAsync(probe, watcher, "wills", "wills/delayed");

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "wills/delayed offline");
    }

    [Fact]
    public async Task Reconnecting_Within_The_Will_Delay_Cancels_The_Will()
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "wills");
        await using RunningMosquittoClient dying = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "back-soon",
            "-c", "-x", "60", "--will-topic", "wills/back-soon", "--will-payload", "offline", "-D", "will", "will-delay-interval", "8");
        await WaitForConnectionsAsync(broker, 3);
        await dying.KillAsync();
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(8));
        await WaitForConnectionsAsync(broker, 2);

        // The same client id, with its session, while the broker's clock has not moved: well within the delay.
        await using RunningMosquittoClient back = MosquittoClients.Start(MosquittoClients.SubscriberPath, "-p", broker.PortText, "-V", "mqttv5", "-t", "ignored", "-i", "back-soon", "-c", "-x", "60");
        await WaitForConnectionsAsync(broker, 3);
        _clock.Advance(TimeSpan.FromSeconds(9));

        await AssertNotPublishedAsync(probe, watcher, "wills", "wills/back-soon");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Takeover_Within_The_Will_Delay_Keeps_The_Will_Back_Unless_Clean_Start_Ends_The_Session(bool cleanStart, bool willExpected)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "w");
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
            // The session was resumed within the delay: the will is never sent [MQTT-3.1.3-9]. A PINGRESP shows the
            // second connection counted in; three connected then means the first is counted out, so detached, and
            // a will it left behind would be waiting on the clock. Past the delay nothing may come.
            await second.SendAsync(0xC0, 0x00);
            Assert.Equal(new byte[] { 0xD0, 0x00 }, await second.ReadAsync(2, Peers.Timeout));
            await WaitForConnectionsAsync(broker, 3);
            _clock.Advance(TimeSpan.FromSeconds(3));
            await AssertNotPublishedAsync(probe, watcher, "w", "w/x");
        }
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    public async Task V5_Disconnect_Other_Than_Normal_Keeps_The_Will(byte reason)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient probe = await Peers.ConnectAsync(broker.Port, "probe");
        await using RunningMosquittoClient watcher = await WatchAsync(broker, probe, "w");
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        // CONNECT 5.0, clean start + will, client id "raw", will topic "w/x", will payload "bye".
        await raw.SendAsync([0x10, 0x1B, 0x00, 0x04, .. "MQTT"u8, 0x05, 0x06, 0x00, 0x3C, 0x00, 0x00, 0x03, .. "raw"u8, 0x00, 0x00, 0x03, .. "w/x"u8, 0x00, 0x03, .. "bye"u8]);
        byte[] head = await raw.ReadAsync(2, Peers.Timeout);
        await raw.ReadAsync(head[1], Peers.Timeout);

        await raw.SendAsync(0xE0, 0x01, reason);

        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, "w/x bye");
    }

    /// <summary>Waits until exactly <paramref name="count"/> clients are connected (a peer process connects, or a closed one is counted out).</summary>
    internal static async Task WaitForConnectionsAsync(EmbeddedBroker broker, int count)
    {
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.ConnectedClients == count),
            $"{broker.Server.Statistics.ConnectedClients} clients connected, not {count}.");
    }

    private Task<EmbeddedBroker> StartBrokerAsync() => EmbeddedBroker.StartAsync(o => o.TimeProvider = _clock);

    /// <summary>A mosquitto_sub on <c>prefix/#</c>, returned once its subscription is in place (it has printed a probe).</summary>
    private static Task<RunningMosquittoClient> WatchAsync(EmbeddedBroker broker, MqttClient probe, string prefix) =>
        Peers.StartSubscriberAsync(broker.Port, prefix + "/#", "mqttv311", "0",
            async () => await probe.PublishAsync(prefix + "/probe", Encoding.UTF8.GetBytes("probe")));

    /// <summary>
    /// Publishes a marker and waits for the watcher to print it: the broker delivers to one subscriber in order, so a
    /// will routed before the marker would be printed before it.
    /// </summary>
    private async Task AssertNotPublishedAsync(MqttClient probe, RunningMosquittoClient watcher, string prefix, string willTopic)
    {
        string marker = "marker-" + Interlocked.Increment(ref _markers).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await probe.PublishAsync(prefix + "/marker", Encoding.UTF8.GetBytes(marker))).IsSuccess);
        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(watcher, $"{prefix}/marker {marker}");

        Assert.DoesNotContain(willTopic, watcher.StandardOutput, StringComparison.Ordinal);
    }
}
