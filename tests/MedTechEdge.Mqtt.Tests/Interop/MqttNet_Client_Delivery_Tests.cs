using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// MQTTnet's client publishing to and subscribing on our broker: QoS 0/1/2 (MQTT 5.0 §4.3), retained messages
/// (§3.3.1.3), user properties and content type forwarded unchanged (§3.3.2.3.5, §3.3.2.3.9, [MQTT-3.3.2-18]).
/// </summary>
public sealed class MqttNet_Client_Delivery_Tests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.ExactlyOnce)]
    public async Task Device_Publish_At_Each_QoS_Is_Acknowledged_Ingested_And_Delivered(MqttProtocolVersion version, MqttQualityOfServiceLevel qos)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer subscriber = await MqttNetPeer.ConnectAsync(broker.Port, "monitor", version);
        await subscriber.SubscribeAsync("devices/+/messages/events/#", MqttQualityOfServiceLevel.ExactlyOnce);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "pump-7", version);

        MqttClientPublishResult result = await device.PublishAsync("devices/pump-7/messages/events/", "{\"rate\":12}", qos);

        // QoS 0 has no acknowledgement: MQTTnet reports success once it is written. QoS 1/2 wait for PUBACK / PUBCOMP.
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        MqttNetReceived received = await subscriber.ReceiveAsync();
        Assert.Equal("devices/pump-7/messages/events/", received.Topic);
        Assert.Equal("{\"rate\":12}", received.Payload);
        // Delivered at the publish QoS, since the subscription granted 2 [MQTT-3.8.4-8].
        Assert.Equal(qos, received.QoS);
        Assert.False(received.Retain);
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        IngestedMessage ingested = Assert.Single(broker.Handler.Messages);
        Assert.Equal("pump-7", ingested.DeviceId);
        Assert.Equal((int)qos, (int)ingested.QoS);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_Message_Reaches_A_Later_Subscriber_With_Retain_Set(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ward-config", version);
        await publisher.PublishAsync("wards/icu/config", "beds=12", MqttQualityOfServiceLevel.AtLeastOnce, retain: true);

        await using MqttNetPeer late = await MqttNetPeer.ConnectAsync(broker.Port, "late", version);
        await late.SubscribeAsync("wards/#");

        MqttNetReceived received = await late.ReceiveAsync();
        Assert.Equal(("wards/icu/config", "beds=12"), (received.Topic, received.Payload));
        // [MQTT-3.3.1-9]: a retained message sent because of a new subscription has RETAIN set.
        Assert.True(received.Retain);
    }

    [Fact]
    public async Task Empty_Retained_Publish_Clears_The_Retained_Message()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ward-config");
        await publisher.PublishAsync("wards/icu/config", "beds=12", retain: true);

        // [MQTT-3.3.1-6]: a retained PUBLISH with an empty payload removes the retained message.
        await publisher.PublishAsync("wards/icu/config", string.Empty, retain: true);
        await using MqttNetPeer late = await MqttNetPeer.ConnectAsync(broker.Port, "late");
        await late.SubscribeAsync("wards/#");
        await publisher.PublishAsync("wards/flush", "end");

        // Retained messages are sent at subscribe, before anything published later: the marker comes first and alone.
        Assert.Equal(["wards/flush"], (await late.ReceiveUntilAsync("wards/flush")).Select(m => m.Topic));
    }

    [Fact]
    public async Task User_Properties_And_Content_Type_Reach_The_Handler_And_The_Subscriber_Unchanged()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer subscriber = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await subscriber.SubscribeAsync("devices/#");
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "ecg-3");

        await device.PublishAsync("devices/ecg-3/messages/events/", "{\"hr\":61}", configure: m => m
            .WithContentType("application/json")
            .WithUserProperty("schema", MqttNetPeer.Utf8("ecg-v2"))
            .WithUserProperty("unit", MqttNetPeer.Utf8("bpm"))
            // A repeated name is allowed and both must arrive, in order [MQTT-3.3.2-18].
            .WithUserProperty("schema", MqttNetPeer.Utf8("ecg-v3")));

        MqttNetReceived received = await subscriber.ReceiveAsync();
        KeyValuePair<string, string>[] expected = [new("schema", "ecg-v2"), new("unit", "bpm"), new("schema", "ecg-v3")];
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(expected, received.UserProperties);
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        IngestedMessage ingested = Assert.Single(broker.Handler.Messages);
        Assert.Equal("application/json", ingested.ContentType);
        Assert.Equal(expected, ingested.UserProperties.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Large_And_Empty_Payloads_And_Multi_Byte_Topics_Arrive_Intact(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer subscriber = await MqttNetPeer.ConnectAsync(broker.Port, "monitor", version);
        await subscriber.SubscribeAsync("stations/#", MqttQualityOfServiceLevel.ExactlyOnce);
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "station", version);
        // 200 KB: many socket reads and a three-byte Remaining Length, under the broker's 256 KiB maximum.
        string large = string.Concat(Enumerable.Range(0, 20_000).Select(i => (i % 10_000).ToString("D10", System.Globalization.CultureInfo.InvariantCulture)));

        await publisher.PublishAsync("stations/Zürich/温度", large, MqttQualityOfServiceLevel.ExactlyOnce);
        await publisher.PublishAsync("stations/empty", string.Empty, MqttQualityOfServiceLevel.AtLeastOnce);

        MqttNetReceived first = await subscriber.ReceiveAsync();
        MqttNetReceived second = await subscriber.ReceiveAsync();
        // §1.5.4: topics are UTF-8; a PUBLISH may have a zero-length payload (§3.3.3).
        Assert.Equal("stations/Zürich/温度", first.Topic);
        Assert.Equal(large, first.Payload);
        Assert.Equal(("stations/empty", string.Empty), (second.Topic, second.Payload));
    }
}
