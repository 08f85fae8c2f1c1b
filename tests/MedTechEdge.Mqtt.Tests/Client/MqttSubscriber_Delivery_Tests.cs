using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;
using static MedTechEdge.Mqtt.Tests.Client.SubscriberTestSupport;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>Real peer: the subscriber against Mosquitto, fed by mosquitto_pub (MQTT 5.0 §3.3, §3.8).</summary>
public sealed class MqttSubscriber_Delivery_Tests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Mosquitto_Pub_QoS1_Messages_Reach_The_Handler_Exactly_As_Sent(MqttProtocolVersion version)
    {
        var handler = new SubscriberTestHandler();
        string prefix = $"exact{version}";
        await using MqttSubscriber subscriber = await StartAsync(
            Options(mosquitto.Port, $"exact-{version}", version, $"{prefix}/+/messages/events/#", $"{prefix}/+/telemetry"), handler);
        byte[] binary = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        string file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, binary);
        try
        {
            string v = VersionArgument(version);
            Assert.True(await PublishAsync(mosquitto.Port, v, $"{prefix}/bed-1/messages/events/", """{"heartRate":72}"""));
            Assert.True(await PublishAsync(mosquitto.Port, v, $"{prefix}/unrelated/x", "not subscribed"));
            MosquittoClientResult pub = await MosquittoClients.PublishAsync(Peers.Timeout,
                "-h", mosquitto.Host, "-p", Peers.Text(mosquitto.Port), "-V", v, "-q", "1", "-t", $"{prefix}/hub-2/telemetry", "-f", file);
            Assert.Equal(0, pub.ExitCode);

            await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 2, "two acknowledgements");
        }
        finally
        {
            File.Delete(file);
        }

        SubscribedMessage[] messages = [.. handler.Messages];
        Assert.Equal(2, messages.Length);
        Assert.Equal($"{prefix}/bed-1/messages/events/", messages[0].Topic);
        Assert.Equal("""{"heartRate":72}""", messages[0].PayloadText);
        Assert.Equal("bed-1", messages[0].DeviceId);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, messages[0].QoS);
        Assert.Equal($"{prefix}/hub-2/telemetry", messages[1].Topic);
        Assert.Equal(binary, messages[1].Payload);
        Assert.Equal("hub-2", messages[1].DeviceId);
        Assert.Equal(2, subscriber.Statistics.MessagesReceived);
        Assert.Equal(0, subscriber.Statistics.MessagesRedelivered);
    }

    [Fact]
    public async Task V5_User_Properties_Reach_The_Handler_In_Order()
    {
        var handler = new SubscriberTestHandler();
        await using MqttSubscriber subscriber = await StartAsync(Options(mosquitto.Port, "props", MqttProtocolVersion.V500, "props/#"), handler);

        Assert.True(await PublishAsync(mosquitto.Port, "mqttv5", "props/a", "x",
            "-D", "publish", "user-property", "unit", "bpm", "-D", "publish", "user-property", "site", "ward-3"));

        await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 1, "one acknowledgement");
        SubscribedMessage message = Assert.Single(handler.Messages);
        Assert.Equal([new MqttUserProperty("unit", "bpm"), new MqttUserProperty("site", "ward-3")], message.UserProperties);
    }

    [Fact]
    public async Task QoS0_Messages_Are_Handled_But_Not_Acknowledged()
    {
        var handler = new SubscriberTestHandler();
        await using MqttSubscriber subscriber = await StartAsync(Options(mosquitto.Port, "qos0", MqttProtocolVersion.V500, "qos0/#"), handler);

        MosquittoClientResult pub = await MosquittoClients.PublishAsync(Peers.Timeout, "-h", mosquitto.Host, "-p", Peers.Text(mosquitto.Port), "-q", "0", "-t", "qos0/a", "-m", "fire-and-forget");

        Assert.Equal(0, pub.ExitCode);
        await WaitUntilAsync(() => subscriber.Statistics.MessagesReceived == 1, "one message");
        Assert.Equal(MqttQualityOfServiceLevel.AtMostOnce, Assert.Single(handler.Messages).QoS);
        Assert.Equal(0, subscriber.Statistics.MessagesAcknowledged);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Credentials_Are_Sent_And_A_Wrong_Password_Is_Retried_Not_Accepted(MqttProtocolVersion version)
    {
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(credentials: ("gateway", "s3cret"));
        var handler = new SubscriberTestHandler();
        MqttSubscriberOptions good = Options(broker.Port, "with-password", version, "secure/#");
        good.Username = "gateway";
        good.Password = "s3cret";
        MqttSubscriberOptions bad = Options(broker.Port, "wrong-password", version, "secure/#");
        bad.Username = "gateway";
        bad.Password = "guess";

        await using MqttSubscriber accepted = await StartAsync(good, handler);
        await using var refused = new MqttSubscriber(bad, new SubscriberTestHandler());
        await refused.StartAsync(CancellationToken.None);
        Assert.True(await PublishAsync(broker.Port, VersionArgument(version), "secure/a", "ok", "-u", "gateway", "-P", "s3cret"));

        await WaitUntilAsync(() => accepted.Statistics.MessagesAcknowledged == 1, "the authenticated subscriber's acknowledgement");
        await WaitUntilAsync(() => refused.Statistics.ConnectFailures >= 2, "retries of the refused subscriber");
        Assert.Equal(0, refused.Statistics.Connects);
        Assert.False(refused.IsConnected);
    }
}
