using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Formatter;

/// <summary>MQTT 3.1.1 packets against hand-assembled bytes (3.1.1 chapter 3), both directions.</summary>
public sealed class Golden_Bytes_V311_Tests
{
    private const MqttProtocolVersion V311 = MqttProtocolVersion.V311;

    [Fact]
    public void Connect_With_Credentials_And_Will()
    {
        var packet = new MqttConnectPacket
        {
            ProtocolVersion = V311,
            ClientId = "dev1",
            CleanStart = true,
            KeepAlive = 60,
            Username = "u",
            Password = [0x70],
            HasWill = true,
            WillTopic = "w",
            WillPayload = [0x21],
            WillQoS = MqttQualityOfServiceLevel.AtLeastOnce,
            WillRetain = true,
        };
        // Flags 0xEE: user name, password, will retain, will QoS 1, will, clean session.
        byte[] expected = Codec.Hex("10 1C 0004 4D515454 04 EE 003C 0004 64657631 0001 77 0001 21 0001 75 0001 70");

        Assert.Equal(expected, Codec.Encode(packet, V311));
        var decoded = Assert.IsType<MqttConnectPacket>(Codec.Decode(expected, V311));
        Assert.Equal(V311, decoded.ProtocolVersion);
        Assert.Equal("dev1", decoded.ClientId);
        Assert.True(decoded.CleanStart);
        Assert.Equal(60, decoded.KeepAlive);
        Assert.Equal("u", decoded.Username);
        Assert.Equal([0x70], decoded.Password);
        Assert.True(decoded.HasWill);
        Assert.Equal("w", decoded.WillTopic);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, decoded.WillQoS);
        Assert.True(decoded.WillRetain);
    }

    [Theory]
    [InlineData(MqttConnectReasonCode.Success, "20 02 01 00", true)]
    [InlineData(MqttConnectReasonCode.BadUserNameOrPassword, "20 02 00 04", false)]
    [InlineData(MqttConnectReasonCode.NotAuthorized, "20 02 00 05", false)]
    [InlineData(MqttConnectReasonCode.QuotaExceeded, "20 02 00 03", false)]
    public void ConnAck_Maps_Reason_Codes_To_Return_Codes(MqttConnectReasonCode reason, string hex, bool sessionPresent)
    {
        var packet = new MqttConnAckPacket { ReasonCode = reason, SessionPresent = sessionPresent };

        Assert.Equal(Codec.Hex(hex), Codec.Encode(packet, V311));
    }

    [Fact]
    public void Publish_QoS1_Retain_Dup()
    {
        var packet = new MqttPublishPacket { Topic = "a/b", PacketId = 10, QoS = MqttQualityOfServiceLevel.AtLeastOnce, Retain = true, Dup = true, Payload = "hi"u8.ToArray() };
        byte[] expected = Codec.Hex("3B 09 0003 612F62 000A 6869");

        Assert.Equal(expected, Codec.Encode(packet, V311));
        var decoded = Assert.IsType<MqttPublishPacket>(Codec.Decode(expected, V311));
        Assert.Equal(("a/b", 10, MqttQualityOfServiceLevel.AtLeastOnce, true, true), (decoded.Topic, (int)decoded.PacketId, decoded.QoS, decoded.Retain, decoded.Dup));
        Assert.Equal("hi"u8.ToArray(), decoded.Payload.ToArray());
        decoded.ReturnPayload();
    }

    [Theory]
    [InlineData(MqttPacketType.PubAck, "40 02 0007")]
    [InlineData(MqttPacketType.PubRec, "50 02 0007")]
    [InlineData(MqttPacketType.PubRel, "62 02 0007")]
    [InlineData(MqttPacketType.PubComp, "70 02 0007")]
    internal void Acks_Are_Packet_Identifier_Only(MqttPacketType type, string hex)
    {
        byte[] expected = Codec.Hex(hex);

        Assert.Equal(expected, Codec.Encode(new MqttAckPacket(type, 7), V311));
        var decoded = Assert.IsType<MqttAckPacket>(Codec.Decode(expected, V311));
        Assert.Equal(type, decoded.Type);
        Assert.Equal(7, decoded.PacketId);
    }

    [Fact]
    public void Subscribe_And_SubAck()
    {
        var subscribe = new MqttSubscribePacket { PacketId = 1 };
        subscribe.Filters.Add(new MqttTopicFilter("a/#", MqttQualityOfServiceLevel.AtLeastOnce));
        var subAck = new MqttSubAckPacket { PacketId = 1 };
        subAck.ReasonCodes.Add(MqttSubscribeReasonCode.GrantedQoS1);
        subAck.ReasonCodes.Add(MqttSubscribeReasonCode.TopicFilterInvalid);

        Assert.Equal(Codec.Hex("82 08 0001 0003 612F23 01"), Codec.Encode(subscribe, V311));
        // 3.1.1 knows only 0x80 Failure.
        Assert.Equal(Codec.Hex("90 04 0001 01 80"), Codec.Encode(subAck, V311));
        Assert.Equal("a/#", Codec.RoundTrip(subscribe, V311).Filters[0].Filter);
    }

    [Fact]
    public void Unsubscribe_UnsubAck_Ping_Disconnect()
    {
        var unsubscribe = new MqttUnsubscribePacket { PacketId = 2 };
        unsubscribe.Filters.Add("a");

        Assert.Equal(Codec.Hex("A2 05 0002 0001 61"), Codec.Encode(unsubscribe, V311));
        Assert.Equal(Codec.Hex("B0 02 0002"), Codec.Encode(new MqttUnsubAckPacket { PacketId = 2 }, V311));
        Assert.Equal(Codec.Hex("C0 00"), Codec.Encode(MqttPingReqPacket.Instance, V311));
        Assert.Equal(Codec.Hex("D0 00"), Codec.Encode(MqttPingRespPacket.Instance, V311));
        Assert.Equal(Codec.Hex("E0 00"), Codec.Encode(new MqttDisconnectPacket(), V311));
        Assert.Same(MqttPingReqPacket.Instance, Codec.Decode(Codec.Hex("C0 00"), V311));
    }
}
