using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// Authentication and authorization as MQTTnet's client sees them: CONNACK 0x86 / 0x87 (MQTT 5.0 §3.2.2.2), return
/// codes 0x04 / 0x05 (3.1.1 §3.2.2.3), and per-device topic refusals (PUBACK / SUBACK 0x87, §5.4.2).
/// </summary>
public sealed class MqttNet_Client_Authentication_Tests : IDisposable
{
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-1", "pw-one"), ("dev-2", "pw-two"));

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Right_Password_Connects_And_The_Device_Message_Is_Ingested_With_Its_Identity(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "c1", version, o => o.WithCredentials("dev-1", "pw-one"));
        MqttClientPublishResult result = await device.PublishAsync("devices/dev-1/messages/events/", "{}");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal("dev-1", Assert.Single(broker.Handler.Messages).Identity);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "dev-1", 0x04)]
    [InlineData(MqttProtocolVersion.V311, "nobody", 0x04)]
    [InlineData(MqttProtocolVersion.V500, "dev-1", 0x86)]
    [InlineData(MqttProtocolVersion.V500, "nobody", 0x86)]
    public async Task Wrong_Password_Or_Unknown_User_Gets_Bad_User_Name_Or_Password(MqttProtocolVersion version, string username, int code)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        await using MqttNetPeer refused = await MqttNetPeer.TryConnectAsync(broker.Port, "c1", version, o => o.WithCredentials(username, "pw-two"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ConnectResult.ResultCode);
        Assert.Equal(code, await ConnAckCodeAsync(refused));
        // The broker counts the refusal around the time it sends CONNACK, so poll rather than read it once.
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.AuthenticationFailures == 1), "the refusal was not counted");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 0x05)]
    [InlineData(MqttProtocolVersion.V500, 0x87)]
    public async Task No_Credentials_Get_Not_Authorized_When_A_Credentials_File_Is_Configured(MqttProtocolVersion version, int code)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        await using MqttNetPeer refused = await MqttNetPeer.TryConnectAsync(broker.Port, "c1", version);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ConnectResult.ResultCode);
        Assert.Equal(code, await ConnAckCodeAsync(refused));
    }

    [Fact]
    public async Task Publish_And_Subscribe_On_Another_Devices_Topics_Get_Not_Authorized()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "c1", configure: o => o.WithCredentials("dev-1", "pw-one"));

        MqttClientPublishResult publish = await device.PublishAsync("devices/dev-2/messages/events/", "{}");
        MqttClientSubscribeResult subscribe = await device.Client.SubscribeAsync("devices/dev-2/#", MqttQualityOfServiceLevel.AtLeastOnce);

        // §5.4.2: PUBACK 0x87 and SUBACK 0x87, and the connection stays up.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publish.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribe.Items).ResultCode);
        Assert.True(device.Client.IsConnected);
        Assert.Empty(broker.Handler.Messages);
    }

    /// <summary>
    /// The code byte as sent: MQTTnet maps 3.1.1 return codes to 5.0 reason codes, so read the CONNACK itself. In both
    /// versions it is byte 3: packet type, Remaining Length, acknowledge flags, then the code (5.0 adds properties after).
    /// </summary>
    private static async Task<int> ConnAckCodeAsync(MqttNetPeer peer)
    {
        byte[] connAck = await peer.FirstInboundPacketAsync();
        Assert.Equal(0x20, connAck[0]);
        return connAck[3];
    }
}
