using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Formatter;

/// <summary>MQTT 5.0 packets with properties against hand-assembled bytes (MQTT 5.0 chapters 2-3).</summary>
public sealed class Golden_Bytes_V5_Tests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    [Fact]
    public void Connect_With_Properties_And_Will_Properties()
    {
        var packet = new MqttConnectPacket { ProtocolVersion = V5, ClientId = "c", CleanStart = true, KeepAlive = 30, HasWill = true, WillTopic = "w", WillPayload = [] };
        packet.Properties.SessionExpiryInterval = 3600;
        packet.Properties.ReceiveMaximum = 20;
        packet.WillProperties.WillDelayInterval = 5;
        // Properties: 11 00000E10 (session expiry), 21 0014 (receive maximum); will properties: 18 00000005.
        byte[] expected = Codec.Hex("10 21 0004 4D515454 05 06 001E 08 11 00000E10 21 0014 0001 63 05 18 00000005 0001 77 0000");

        Assert.Equal(expected, Codec.Encode(packet, V5));
        var decoded = Assert.IsType<MqttConnectPacket>(Codec.Decode(expected, V5));
        Assert.Equal(3600u, decoded.Properties.SessionExpiryInterval);
        Assert.Equal((ushort)20, decoded.Properties.ReceiveMaximum);
        Assert.Equal(5u, decoded.WillProperties.WillDelayInterval);
        Assert.Equal("w", decoded.WillTopic);
    }

    [Fact]
    public void ConnAck_With_Assigned_Client_Identifier_And_Limits()
    {
        var packet = new MqttConnAckPacket { ReasonCode = MqttConnectReasonCode.Success };
        packet.Properties.AssignedClientIdentifier = "id";
        packet.Properties.ReceiveMaximum = 64;
        packet.Properties.TopicAliasMaximum = 32;
        // Writer order: 12 (assigned id), 21 (receive maximum), 22 (topic alias maximum).
        byte[] expected = Codec.Hex("20 0E 00 00 0B 12 0002 6964 21 0040 22 0020");

        Assert.Equal(expected, Codec.Encode(packet, V5));
        var decoded = Assert.IsType<MqttConnAckPacket>(Codec.Decode(expected, V5));
        Assert.Equal("id", decoded.Properties.AssignedClientIdentifier);
        Assert.Equal((ushort)64, decoded.Properties.ReceiveMaximum);
    }

    [Fact]
    public void Publish_With_Every_Publish_Property_Round_Trips()
    {
        var packet = new MqttPublishPacket { Topic = "t", PacketId = 9, QoS = MqttQualityOfServiceLevel.ExactlyOnce, Payload = "{}"u8.ToArray() };
        MqttProperties p = packet.Properties;
        p.PayloadFormatIndicator = 1;
        p.MessageExpiryInterval = 120;
        p.ContentType = "application/json";
        p.ResponseTopic = "r";
        p.CorrelationData = [1, 2];
        p.TopicAlias = 3;
        p.SubscriptionIdentifiers = [5, 300];
        p.AddUserProperty("ward", "icu");
        p.AddUserProperty("ward", "er");

        MqttPublishPacket decoded = Codec.RoundTrip(packet, V5);

        MqttProperties d = decoded.Properties;
        Assert.Equal((byte)1, d.PayloadFormatIndicator);
        Assert.Equal(120u, d.MessageExpiryInterval);
        Assert.Equal("application/json", d.ContentType);
        Assert.Equal("r", d.ResponseTopic);
        Assert.Equal([1, 2], d.CorrelationData);
        Assert.Equal((ushort)3, d.TopicAlias);
        Assert.Equal([5u, 300u], d.SubscriptionIdentifiers);
        // Order and repeats are kept [MQTT-3.3.2-18].
        Assert.Equal([new MqttUserProperty("ward", "icu"), new MqttUserProperty("ward", "er")], d.UserProperties);
        Assert.Equal("{}"u8.ToArray(), decoded.Payload.ToArray());
        decoded.ReturnPayload();
    }

    [Fact]
    public void Publish_QoS0_Without_Properties()
    {
        var packet = new MqttPublishPacket { Topic = "a/b", Payload = "x"u8.ToArray() };

        Assert.Equal(Codec.Hex("30 07 0003 612F62 00 78"), Codec.Encode(packet, V5));
    }

    [Fact]
    public void PubAck_Success_Uses_The_Short_Form_And_Failures_Carry_The_Reason_Code()
    {
        Assert.Equal(Codec.Hex("40 02 0005"), Codec.Encode(new MqttAckPacket(MqttPacketType.PubAck, 5), V5));
        Assert.Equal(Codec.Hex("40 03 0005 97"), Codec.Encode(new MqttAckPacket(MqttPacketType.PubAck, 5, 0x97), V5));
        var withReason = new MqttAckPacket(MqttPacketType.PubRec, 5, 0x83);
        withReason.Properties.ReasonString = "db";
        Assert.Equal(Codec.Hex("50 09 0005 83 05 1F 0002 6462"), Codec.Encode(withReason, V5));
    }

    [Theory]
    [InlineData("40 02 0005", 0x00)]
    [InlineData("40 03 0005 97", 0x97)]
    [InlineData("40 04 0005 10 00", 0x10)]
    public void PubAck_Decodes_All_Three_Lengths(string hex, byte reason)
    {
        var decoded = Assert.IsType<MqttAckPacket>(Codec.Decode(Codec.Hex(hex), V5));

        Assert.Equal(reason, decoded.ReasonCode);
        Assert.Equal(5, decoded.PacketId);
    }

    [Fact]
    public void Subscribe_With_Options_And_Subscription_Identifier()
    {
        var packet = new MqttSubscribePacket { PacketId = 1 };
        packet.Properties.SubscriptionIdentifiers = [7];
        packet.Filters.Add(new MqttTopicFilter("a/+", MqttQualityOfServiceLevel.ExactlyOnce, NoLocal: true, RetainAsPublished: true, MqttRetainHandling.DoNotSendAtSubscribe));
        // Options 0x2E: retain handling 2, retain as published, no local, QoS 2.
        byte[] expected = Codec.Hex("82 0B 0001 02 0B 07 0003 612F2B 2E");

        Assert.Equal(expected, Codec.Encode(packet, V5));
        MqttTopicFilter filter = Assert.IsType<MqttSubscribePacket>(Codec.Decode(expected, V5)).Filters[0];
        Assert.Equal(new MqttTopicFilter("a/+", MqttQualityOfServiceLevel.ExactlyOnce, true, true, MqttRetainHandling.DoNotSendAtSubscribe), filter);
    }

    [Fact]
    public void SubAck_UnsubAck_With_Reason_Codes()
    {
        var subAck = new MqttSubAckPacket { PacketId = 1 };
        subAck.ReasonCodes.Add(MqttSubscribeReasonCode.GrantedQoS2);
        subAck.ReasonCodes.Add(MqttSubscribeReasonCode.TopicFilterInvalid);
        var unsubAck = new MqttUnsubAckPacket { PacketId = 2 };
        unsubAck.ReasonCodes.Add(MqttUnsubscribeReasonCode.NoSubscriptionExisted);

        Assert.Equal(Codec.Hex("90 05 0001 00 02 8F"), Codec.Encode(subAck, V5));
        Assert.Equal(Codec.Hex("B0 04 0002 00 11"), Codec.Encode(unsubAck, V5));
        Assert.Equal([MqttSubscribeReasonCode.GrantedQoS2, MqttSubscribeReasonCode.TopicFilterInvalid], Codec.RoundTrip(subAck, V5).ReasonCodes);
    }

    [Fact]
    public void Disconnect_Normal_Is_Empty_And_Others_Carry_Reason_And_Properties()
    {
        Assert.Equal(Codec.Hex("E0 00"), Codec.Encode(new MqttDisconnectPacket(), V5));
        Assert.Equal(Codec.Hex("E0 01 81"), Codec.Encode(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.MalformedPacket }, V5));
        var withExpiry = new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.NormalDisconnection };
        withExpiry.Properties.SessionExpiryInterval = 60;
        Assert.Equal(Codec.Hex("E0 07 00 05 11 0000003C"), Codec.Encode(withExpiry, V5));
        Assert.Equal(60u, Codec.RoundTrip(withExpiry, V5).Properties.SessionExpiryInterval);
    }

    [Fact]
    public void Auth_Round_Trips()
    {
        var packet = new MqttAuthPacket { ReasonCode = MqttAuthenticateReasonCode.ContinueAuthentication };
        packet.Properties.AuthenticationMethod = "SCRAM";
        packet.Properties.AuthenticationData = [9];
        byte[] expected = Codec.Hex("F0 0E 18 0C 15 0005 5343 52 41 4D 16 0001 09");

        Assert.Equal(expected, Codec.Encode(packet, V5));
        var decoded = Codec.RoundTrip(packet, V5);
        Assert.Equal(MqttAuthenticateReasonCode.ContinueAuthentication, decoded.ReasonCode);
        Assert.Equal("SCRAM", decoded.Properties.AuthenticationMethod);
        Assert.Equal([9], decoded.Properties.AuthenticationData);
    }
}
