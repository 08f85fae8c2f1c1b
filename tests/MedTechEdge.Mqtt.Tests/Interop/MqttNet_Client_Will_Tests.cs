using System.Diagnostics;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>Will messages set by MQTTnet's client (MQTT 5.0 §3.1.2.5, §3.1.3.2, §3.14.2.1).</summary>
public sealed class MqttNet_Client_Will_Tests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_Is_Published_When_The_Connection_Drops_Without_Disconnect(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer watcher = await MqttNetPeer.ConnectAsync(broker.Port, "watcher", version);
        await watcher.SubscribeAsync("wills/#");
        MqttNetPeer dying = await MqttNetPeer.ConnectAsync(broker.Port, "dying", version, o => o
            .WithWillTopic("wills/dying")
            .WithWillPayload("offline")
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));

        dying.Abort();

        MqttNetReceived will = await watcher.ReceiveAsync();
        Assert.Equal(("wills/dying", "offline", MqttQualityOfServiceLevel.AtLeastOnce), (will.Topic, will.Payload, will.QoS));
    }

    [Fact]
    public async Task Disconnect_With_Reason_0x04_Publishes_The_Will_With_Its_Properties()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer watcher = await MqttNetPeer.ConnectAsync(broker.Port, "watcher");
        await watcher.SubscribeAsync("wills/#");
        await using MqttNetPeer leaving = await MqttNetPeer.ConnectAsync(broker.Port, "leaving", configure: o => o
            .WithWillTopic("wills/leaving")
            .WithWillPayload("{\"state\":\"gone\"}")
            .WithWillContentType("application/json")
            .WithWillUserProperty("ward", MqttNetPeer.Utf8("icu")));

        // §3.14.2.1: 0x04 Disconnect with Will Message: the client wants its will sent even though it says goodbye.
        await leaving.Client.DisconnectAsync(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage);

        MqttNetReceived will = await watcher.ReceiveAsync();
        Assert.Equal(("wills/leaving", "{\"state\":\"gone\"}"), (will.Topic, will.Payload));
        // §3.1.3.2: will properties are sent with the will.
        Assert.Equal("application/json", will.ContentType);
        Assert.Equal([new KeyValuePair<string, string>("ward", "icu")], will.UserProperties);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Normal_Disconnect_Discards_The_Will(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer watcher = await MqttNetPeer.ConnectAsync(broker.Port, "watcher", version);
        await watcher.SubscribeAsync("wills/#");
        MqttNetPeer polite = await MqttNetPeer.ConnectAsync(broker.Port, "polite", version, o => o.WithWillTopic("wills/polite").WithWillPayload("offline"));
        MqttNetPeer dying = await MqttNetPeer.ConnectAsync(broker.Port, "dying", version, o => o.WithWillTopic("wills/dying").WithWillPayload("offline"));

        // [MQTT-3.14.4-3]: a normal DISCONNECT (3.1.1: any DISCONNECT) discards the will.
        await polite.Client.DisconnectAsync();
        await polite.DisposeAsync();
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.ConnectedClients == 2), "the polite client never left");
        // The broker decides about a will as it detaches the session, right after the connection count drops, so a
        // will dropped by a second client after that is sent later: it works as the end marker of the check.
        dying.Abort();

        Assert.Equal(["wills/dying"], (await watcher.ReceiveUntilAsync("wills/dying")).Select(m => m.Topic));
    }

    [Theory]
    [InlineData(30u, 1u)]
    [InlineData(1u, 3600u)]
    public async Task Delayed_Will_Is_Sent_When_The_Delay_Passes_Or_The_Session_Ends_Whichever_Is_First(uint sessionExpiry, uint willDelay)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer watcher = await MqttNetPeer.ConnectAsync(broker.Port, "watcher");
        await watcher.SubscribeAsync("wills/#");
        // Whichever of the two is one second decides (§3.1.3.2.2); one second keeps the test short in real time, the
        // other value lies beyond the test's deadline.
        MqttNetPeer dying = await MqttNetPeer.ConnectAsync(broker.Port, "delayed", configure: o => o
            .WithSessionExpiryInterval(sessionExpiry)
            .WithWillTopic("wills/delayed")
            .WithWillPayload("offline")
            .WithWillDelayInterval(willDelay));

        var sinceDrop = Stopwatch.StartNew();
        dying.Abort();
        MqttNetReceived will = await watcher.ReceiveAsync();

        Assert.Equal(("wills/delayed", "offline"), (will.Topic, will.Payload));
        // The wait started after the drop, so the broker's second lies inside it; allow for timer granularity.
        Assert.True(sinceDrop.Elapsed >= TimeSpan.FromMilliseconds(900), $"the will came {sinceDrop.Elapsed.TotalMilliseconds:F0} ms after the drop, before one second");
    }

    [Fact]
    public async Task Will_With_Retain_Set_Is_Kept_For_Later_Subscribers()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MqttNetPeer dying = await MqttNetPeer.ConnectAsync(broker.Port, "dying", configure: o => o
            .WithWillTopic("status/dying")
            .WithWillPayload("offline")
            .WithWillRetain());
        await using MqttNetPeer watcher = await MqttNetPeer.ConnectAsync(broker.Port, "watcher");
        await watcher.SubscribeAsync("status/#");

        dying.Abort();
        MqttNetReceived live = await watcher.ReceiveAsync();
        await using MqttNetPeer late = await MqttNetPeer.ConnectAsync(broker.Port, "late");
        await late.SubscribeAsync("status/#");

        // §3.1.2.7 Will Retain: the will is published as a retained message, so a later subscriber gets it at subscribe.
        Assert.Equal(("status/dying", "offline"), (live.Topic, live.Payload));
        MqttNetReceived retained = await late.ReceiveAsync();
        Assert.Equal(("status/dying", "offline", true), (retained.Topic, retained.Payload, retained.Retain));
    }
}
