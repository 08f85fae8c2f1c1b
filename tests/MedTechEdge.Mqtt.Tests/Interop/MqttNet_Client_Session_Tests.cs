using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>Sessions with MQTTnet's client (MQTT 5.0 §4.1, §3.1.2.4 Clean Start, §3.1.2.11.2 Session Expiry Interval).</summary>
public sealed class MqttNet_Client_Session_Tests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Persistent_Session_Gets_What_Was_Published_While_Offline_In_Order(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "night-nurse", version, o => Persistent(o, version));
        Assert.False(first.ConnectResult.IsSessionPresent);
        await first.SubscribeAsync("alarms/#");
        await first.Client.DisconnectAsync();
        await first.DisposeAsync();
        await using MqttNetPeer pump = await MqttNetPeer.ConnectAsync(broker.Port, "pump", version);

        for (int i = 0; i < 3; i++)
        {
            // Each PUBACK comes after the message is in the offline session's queue.
            await pump.PublishAsync("alarms/pump", $"occlusion-{i}");
        }

        await using MqttNetPeer back = await MqttNetPeer.ConnectAsync(broker.Port, "night-nurse", version, o => Persistent(o, version));

        // [MQTT-3.2.2-2]: Session Present 1 when a session is resumed.
        Assert.True(back.ConnectResult.IsSessionPresent);
        for (int i = 0; i < 3; i++)
        {
            MqttNetReceived received = await back.ReceiveAsync();
            Assert.Equal(("alarms/pump", $"occlusion-{i}", MqttQualityOfServiceLevel.AtLeastOnce), (received.Topic, received.Payload, received.QoS));
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Clean_Start_Begins_Without_The_Old_Subscriptions(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "day-nurse", version, o => o.WithCleanStart(true));
        await first.SubscribeAsync("alarms/#");
        await first.Client.DisconnectAsync();
        await first.DisposeAsync();

        await using MqttNetPeer back = await MqttNetPeer.ConnectAsync(broker.Port, "day-nurse", version, o => o.WithCleanStart(true));
        await back.SubscribeAsync("flush");
        await using MqttNetPeer pump = await MqttNetPeer.ConnectAsync(broker.Port, "pump", version);
        await pump.PublishAsync("alarms/pump", "occlusion");
        await pump.PublishAsync("flush", "end");

        // [MQTT-3.2.2-1]: Session Present 0 with Clean Start; the old "alarms/#" is gone, so only the marker arrives.
        Assert.False(back.ConnectResult.IsSessionPresent);
        Assert.Equal(["flush"], (await back.ReceiveUntilAsync("flush")).Select(m => m.Topic));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.ExactlyOnce)]
    public async Task Unacknowledged_Delivery_Is_Resent_With_Dup_When_The_Session_Resumes(MqttProtocolVersion version, MqttQualityOfServiceLevel qos)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "night-nurse", version, o => Persistent(o, version));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Client.ApplicationMessageReceivedAsync += e =>
        {
            // Neither PUBACK nor PUBREC: the delivery stays unacknowledged in the session.
            e.AutoAcknowledge = false;
            held.TrySetResult();
            return Task.CompletedTask;
        };
        await first.SubscribeAsync("alarms/#", qos);
        await using MqttNetPeer pump = await MqttNetPeer.ConnectAsync(broker.Port, "pump", version);
        await pump.PublishAsync("alarms/pump", "occlusion", qos);
        await held.Task.WaitAsync(Peers.Timeout);
        Assert.False((await first.ReceiveAsync()).Dup);

        first.Abort();
        await using MqttNetPeer back = await MqttNetPeer.ConnectAsync(broker.Port, "night-nurse", version, o => Persistent(o, version));

        // [MQTT-4.4.0-1]: on resumption the server resends unacknowledged PUBLISHes, with DUP set [MQTT-3.3.1-1].
        MqttNetReceived again = await back.ReceiveAsync();
        Assert.Equal(("alarms/pump", "occlusion", qos, true), (again.Topic, again.Payload, again.QoS, again.Dup));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Empty_Client_Id_With_Clean_Start_Is_Accepted_And_Assigned_One_In_V5(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();

        // MQTTnet itself refuses to send an empty id without Clean Start (it applies 3.1.1's [MQTT-3.1.3-7] to both
        // versions), so the 3.1.1 refusal 0x02 is covered by the raw-socket tests in Server/, not here.
        await using MqttNetPeer peer = await MqttNetPeer.ConnectAsync(broker.Port, string.Empty, version, o => o.WithCleanStart(true));

        // 5.0 §3.2.2.3.7: the server assigns an identifier and returns it as Assigned Client Identifier.
        if (version == MqttProtocolVersion.V500)
        {
            Assert.False(string.IsNullOrEmpty(peer.ConnectResult.AssignedClientIdentifier));
        }

        await peer.SubscribeAsync("alarms/#");
    }

    [Fact]
    public async Task Disconnect_Cannot_Extend_A_Session_That_Ends_With_The_Connection()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "day-nurse", configure: o => o.WithCleanStart(false));
        await first.SubscribeAsync("alarms/#");

        // [MQTT-3.14.2-2]: Session Expiry 0 at CONNECT and non-zero at DISCONNECT is a protocol error; the session
        // still ends with the connection.
        await first.Client.DisconnectAsync(sessionExpiryInterval: 60);
        await first.DisposeAsync();
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.ConnectedClients == 0), "the first connection never closed");
        await using MqttNetPeer back = await MqttNetPeer.ConnectAsync(broker.Port, "day-nurse", configure: o => Persistent(o, MqttProtocolVersion.V500));

        Assert.False(back.ConnectResult.IsSessionPresent);
    }

    private static void Persistent(MqttClientOptionsBuilder options, MqttProtocolVersion version)
    {
        // 3.1.1: Clean Session 0 keeps the session. 5.0: Clean Start 0 resumes it, and a non-zero Session Expiry
        // Interval keeps it after the connection closes (0, the default, would end it at close, §3.1.2.11.2).
        options.WithCleanStart(false);
        if (version == MqttProtocolVersion.V500)
        {
            options.WithSessionExpiryInterval(60);
        }
    }
}
