using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Real peer: Debian's mosquitto_pub publishing device messages to the embedded broker.</summary>
public sealed class Ingest_From_Mosquitto_Pub_Tests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("mqttv311", 0)]
    [InlineData("mqttv311", 1)]
    [InlineData("mqttv311", 2)]
    [InlineData("mqttv5", 0)]
    [InlineData("mqttv5", 1)]
    [InlineData("mqttv5", 2)]
    public async Task Mosquitto_Pub_Message_Reaches_The_Ingest_Handler_And_Gets_Its_Ack(string version, int qos)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        string payload = $$"""{"deviceId":"dev-7","heartRate":{{60 + qos}}}""";

        MosquittoClientResult result = await MosquittoClients.PublishAsync(s_timeout,
            "-h", "127.0.0.1", "-p", broker.PortText, "-V", version, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-i", "pub-dev-7", "-t", "devices/dev-7/messages/events/", "-m", payload);

        Assert.True(result.ExitCode == 0, $"mosquitto_pub exit {result.ExitCode}: {result.StandardError}");
        await broker.Handler.WaitForAsync(1, s_timeout);
        IngestedMessage message = Assert.Single(broker.Handler.Messages);
        Assert.Equal(payload, message.PayloadText);
        Assert.Equal("devices/dev-7/messages/events/", message.Topic);
        Assert.Equal("dev-7", message.DeviceId);
        Assert.Equal("pub-dev-7", message.ClientId);
        Assert.Equal((MqttQualityOfServiceLevel)qos, message.QoS);
        Assert.Equal(version == "mqttv5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311, message.ProtocolVersion);
    }

    [Fact]
    public async Task Mosquitto_Pub_V5_User_Properties_And_Content_Type_Reach_The_Handler()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();

        MosquittoClientResult result = await MosquittoClients.PublishAsync(s_timeout,
            "-h", "127.0.0.1", "-p", broker.PortText, "-V", "mqttv5", "-q", "1", "-t", "medtech/monitor-3/telemetry", "-m", "{}",
            "-D", "publish", "user-property", "ward", "icu-2", "-D", "publish", "content-type", "application/json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        await broker.Handler.WaitForAsync(1, s_timeout);
        IngestedMessage message = Assert.Single(broker.Handler.Messages);
        Assert.Equal("monitor-3", message.DeviceId);
        Assert.Equal([new MqttUserProperty("ward", "icu-2")], message.UserProperties);
        Assert.Equal("application/json", message.ContentType);
    }

    [Fact]
    public async Task Publish_Outside_The_Ingest_Filters_Does_Not_Reach_The_Handler()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();

        MosquittoClientResult result = await MosquittoClients.PublishAsync(s_timeout,
            "-h", "127.0.0.1", "-p", broker.PortText, "-q", "1", "-t", "commands/dev-7", "-m", "reboot");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(broker.Handler.Messages);
        Assert.Equal(1, broker.Server.Statistics.MessagesReceived);
    }
}
