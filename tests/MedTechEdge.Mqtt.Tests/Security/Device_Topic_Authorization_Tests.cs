using System.Text;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// Per-device authorization: a device publishes and subscribes only under its own topic level. 5.0 gets PUBACK /
/// SUBACK 0x87 Not authorized (MQTT 5.0 §3.4.2.1, §3.9.3); 3.1.1 PUBLISH closes the connection [MQTT-3.3.5-2].
/// </summary>
public sealed class Device_Topic_Authorization_Tests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-1", "pw-one"), ("dev-2", "pw-two"));

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task V5_Device_Publishing_To_Another_Devices_Topic_Gets_Not_Authorized(string qos)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-q", qos,
            "-u", "dev-1", "-P", "pw-one", "-t", "devices/dev-2/messages/events/", "-m", "{}");

        Assert.False(result.TimedOut, MosquittoPub.Describe(result));
        Assert.Contains("not authorized", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(broker.Handler.Messages);
        Assert.Equal(1, broker.Server.Statistics.AuthorizationFailures);
        Assert.Equal(0, broker.Server.Statistics.AuthenticationFailures);
        Assert.Equal(0, broker.Server.Statistics.MessagesIngested);
    }

    [Fact]
    public async Task V5_QoS0_Publish_To_Another_Devices_Topic_Is_Dropped_And_Counted()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-q", "0",
            "-u", "dev-1", "-P", "pw-one", "-t", "devices/dev-2/messages/events/", "-m", "{}");

        // QoS 0 has no acknowledgement to carry 0x87: the message is dropped.
        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.AuthorizationFailures == 1));
        Assert.Empty(broker.Handler.Messages);
    }

    [Fact]
    public async Task Refused_Publish_Is_Not_Routed_To_Subscribers_Or_Retained()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.CredentialsFile = _credentials.Path;
            o.DeviceTopicPolicy = MqttDeviceTopicPolicy.Publish;
        });

        MosquittoClientResult refused = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-q", "1", "-r",
            "-u", "dev-1", "-P", "pw-one", "-t", "devices/dev-2/state", "-m", "spoofed");
        MosquittoClientResult read = await MosquittoPub.SubscribeAsync(broker.PortText, "-V", "mqttv5", "-u", "dev-2", "-P", "pw-two",
            "-t", "devices/#", "-W", "2");

        Assert.DoesNotContain("spoofed", read.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("not authorized", refused.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Device_Publishing_To_Its_Own_Topic_Is_Accepted(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1",
            "-u", "dev-2", "-P", "pw-two", "-t", "medtech/dev-2/telemetry", "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal("dev-2", Assert.Single(broker.Handler.Messages).DeviceId);
        Assert.Equal(0, broker.Server.Statistics.AuthorizationFailures);
    }

    [Fact]
    public async Task V311_Device_Publishing_To_Another_Devices_Topic_Is_Disconnected()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(Codec.Encode(new MqttConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V311,
            ClientId = "raw-dev-1",
            CleanStart = true,
            KeepAlive = 60,
            Username = "dev-1",
            Password = Encoding.UTF8.GetBytes("pw-one"),
        }, MqttProtocolVersion.V311));
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, await raw.ReadAsync(4, s_wait));

        await raw.SendAsync(Codec.Encode(new MqttPublishPacket
        {
            Topic = "devices/dev-2/messages/events/",
            QoS = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketId = 1,
            Payload = "{}"u8.ToArray(),
        }, MqttProtocolVersion.V311));

        // [MQTT-3.3.5-2]: no PUBACK, the connection is closed.
        Assert.Empty(await raw.ReadAsync(1, s_wait));
        Assert.Empty(broker.Handler.Messages);
        Assert.Equal(1, broker.Server.Statistics.AuthorizationFailures);
    }

    [Theory]
    [InlineData("mqttv311", 5)]
    [InlineData("mqttv5", 0x87)]
    public async Task Will_On_Another_Devices_Topic_Is_Refused_At_Connect(string version, int code)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1",
            "-u", "dev-1", "-P", "pw-one", "--will-topic", "devices/dev-2/status", "--will-payload", "offline",
            "-t", "devices/dev-1/messages/events/", "-m", "{}");

        Assert.True(result.ExitCode == code, MosquittoPub.Describe(result));
        Assert.Equal(1, broker.Server.Statistics.AuthorizationFailures);
    }

    [Fact]
    public async Task V5_Subscription_To_Another_Devices_Topics_Gets_Suback_Not_Authorized()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.SubscribeAsync(broker.PortText, "-V", "mqttv5", "-u", "dev-1", "-P", "pw-one",
            "-t", "devices/dev-2/commands/#", "-W", "3");

        Assert.False(result.TimedOut, MosquittoPub.Describe(result));
        Assert.Contains("denied", result.StandardError + result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, broker.Server.Statistics.AuthorizationFailures);
    }

    [Fact]
    public async Task Subscription_To_Own_Topics_Is_Granted_And_Receives_Them()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);
        MosquittoClientResult published = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-q", "1", "-r",
            "-u", "dev-1", "-P", "pw-one", "-t", "devices/dev-1/commands/reboot", "-m", "now");
        Assert.True(published.ExitCode == 0, MosquittoPub.Describe(published));

        MosquittoClientResult result = await MosquittoPub.SubscribeAsync(broker.PortText, "-V", "mqttv5", "-u", "dev-1", "-P", "pw-one",
            "-t", "devices/dev-1/commands/#", "-C", "1", "-W", "10", "-v");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        Assert.Contains("devices/dev-1/commands/reboot now", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, broker.Server.Statistics.AuthorizationFailures);
    }
}
