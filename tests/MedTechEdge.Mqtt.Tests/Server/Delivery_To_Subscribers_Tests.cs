using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.Client;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>SUBSCRIBE and delivery (MQTT 5.0 §3.8, §4.7) with mosquitto_sub as the subscriber.</summary>
public sealed class Delivery_To_Subscribers_Tests
{
    [Theory]
    [InlineData("mqttv311", "0")]
    [InlineData("mqttv311", "1")]
    [InlineData("mqttv311", "2")]
    [InlineData("mqttv5", "0")]
    [InlineData("mqttv5", "1")]
    [InlineData("mqttv5", "2")]
    public async Task Mosquitto_Sub_On_The_Embedded_Broker_Receives_What_Our_Client_Publishes(string version, string qos)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "publisher");
        await using RunningMosquittoClient subscriber = await Peers.StartSubscriberAsync(broker.Port, "ward/+/alarms", version, qos,
            () => publisher.PublishAsync("ward/probe/alarms", Encoding.UTF8.GetBytes("probe"), MqttQualityOfServiceLevel.AtMostOnce),
            "-F", "%q %t %p");

        // Published at QoS 2, delivered at the subscription's QoS (QoS 2 runs PUBREC / PUBREL / PUBCOMP with mosquitto_sub).
        MqttPublishResult result = await publisher.PublishAsync("ward/7/alarms", Encoding.UTF8.GetBytes("spo2-low"), MqttQualityOfServiceLevel.ExactlyOnce);

        Assert.True(result.IsSuccess);
        await MqttClient_Against_Mosquitto_Tests.WaitForOutputAsync(subscriber, $"{qos} ward/7/alarms spo2-low");
    }

    [Fact]
    public async Task Device_Messages_Are_Both_Ingested_And_Delivered_To_Subscribers()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient monitor = await Peers.ConnectAsync(broker.Port, "monitor");
        await monitor.SubscribeAsync("devices/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1", MqttProtocolVersion.V311);

        await device.PublishAsync("devices/dev-1/messages/events/", Encoding.UTF8.GetBytes("{\"heartRate\":70}"));

        MqttApplicationMessage received = await Peers.ReceiveAsync(monitor);
        Assert.Equal("devices/dev-1/messages/events/", received.Topic);
        Assert.False(received.Retain);
        Assert.Single(broker.Handler.Messages);
    }

    [Fact]
    public async Task Hash_Wildcard_Does_Not_Match_Dollar_Topics()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient subscriber = await Peers.ConnectAsync(broker.Port, "sub");
        await subscriber.SubscribeAsync("#", MqttQualityOfServiceLevel.AtLeastOnce);
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");

        await publisher.PublishAsync("$iothub/twin/GET/?$rid=1", Encoding.UTF8.GetBytes("x"));
        await publisher.PublishAsync("plain/topic", Encoding.UTF8.GetBytes("y"));

        // [MQTT-4.7.2-1]: only the non-$ message arrives.
        MqttApplicationMessage received = await Peers.ReceiveAsync(subscriber);
        Assert.Equal("plain/topic", received.Topic);
    }

    [Fact]
    public async Task Subscription_QoS_Caps_The_Delivery_QoS()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient subscriber = await Peers.ConnectAsync(broker.Port, "sub");
        await subscriber.SubscribeAsync("capped/#", MqttQualityOfServiceLevel.AtMostOnce);
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");

        await publisher.PublishAsync("capped/a", Encoding.UTF8.GetBytes("x"), MqttQualityOfServiceLevel.ExactlyOnce);

        MqttApplicationMessage received = await Peers.ReceiveAsync(subscriber);
        Assert.Equal(MqttQualityOfServiceLevel.AtMostOnce, received.QoS);
    }

    [Fact]
    public async Task Unsubscribe_Stops_Delivery()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient subscriber = await Peers.ConnectAsync(broker.Port, "sub");
        await subscriber.SubscribeAsync("a/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await subscriber.SubscribeAsync("b/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await subscriber.UnsubscribeAsync("a/#");
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");

        await publisher.PublishAsync("a/1", Encoding.UTF8.GetBytes("gone"));
        await publisher.PublishAsync("b/1", Encoding.UTF8.GetBytes("kept"));

        MqttApplicationMessage received = await Peers.ReceiveAsync(subscriber);
        Assert.Equal("b/1", received.Topic);
    }
}
