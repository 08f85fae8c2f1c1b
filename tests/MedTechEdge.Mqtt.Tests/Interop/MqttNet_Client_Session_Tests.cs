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
