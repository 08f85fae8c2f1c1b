using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Retained messages (MQTT 5.0 §3.3.1.3) and message expiry (§3.3.2.3.3) with the Mosquitto clients.</summary>
public sealed class Retained_Message_Tests
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task New_Subscriber_Gets_The_Retained_Message_With_Retain_Set(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        MosquittoClientResult pub = await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-V", version, "-q", "1", "-r", "-t", "beds/12/status", "-m", "occupied");
        Assert.Equal(0, pub.ExitCode);

        // -F "%r %t %p": retain flag, topic, payload.
        MosquittoClientResult sub = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-V", version, "-t", "beds/+/status", "-C", "1", "-F", "%r %t %p");

        Assert.Equal("1 beds/12/status occupied", sub.StandardOutput.Trim());
    }

    [Fact]
    public async Task Empty_Retained_Publish_Clears_The_Retained_Message()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-q", "1", "-r", "-t", "beds/1", "-m", "x");
        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-q", "1", "-r", "-t", "beds/1", "-n");

        MosquittoClientResult sub = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-t", "beds/#", "-W", "1");

        Assert.Equal(string.Empty, sub.StandardOutput.Trim());
    }

    [Fact]
    public async Task Expired_Retained_Message_Is_Not_Delivered()
    {
        var clock = new TestClock();
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TimeProvider = clock);
        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "-q", "1", "-r", "-t", "short/lived", "-m", "x", "-D", "publish", "message-expiry-interval", "1");
        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "-q", "1", "-r", "-t", "short/kept", "-m", "y");
        // Expiry is read on the broker's clock when the retained message is matched.
        clock.Advance(TimeSpan.FromSeconds(1));

        MosquittoClientResult sub = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "-t", "short/#", "-W", "1", "-v");

        Assert.Equal("short/kept y", sub.StandardOutput.Trim());
    }

    [Fact]
    public async Task Retain_Handling_2_Sends_No_Retained_Messages()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-q", "1", "-r", "-t", "r/1", "-m", "x");

        MosquittoClientResult sub = await MosquittoClients.SubscribeAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "--retain-handling", "2", "-t", "r/#", "-W", "1");

        Assert.Equal(string.Empty, sub.StandardOutput.Trim());
    }

    [Fact]
    public async Task Remaining_Expiry_Is_Forwarded_To_Subscribers()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient subscriber = await Peers.ConnectAsync(broker.Port, "sub");
        await subscriber.SubscribeAsync("exp/#");

        await MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "-q", "1", "-t", "exp/a", "-m", "x", "-D", "publish", "message-expiry-interval", "60");

        MqttApplicationMessage received = await Peers.ReceiveAsync(subscriber);
        Assert.InRange(received.MessageExpiryInterval ?? 0, 58u, 60u);
        Assert.Equal("x", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, received.QoS);
    }
}
