using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Formatter;

/// <summary>Malformed packets and protocol errors found by the decoder, each with its reason code and normative id.</summary>
public sealed class Malformed_Decoding_Tests
{
    [Theory]
    [InlineData("30 06 0002 6100 0000", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-1.5.4-2]")]
    [InlineData("30 05 0002 C328 00", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-1.5.4-1]")]
    [InlineData("30 06 0003 EDA080 00", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-1.5.4-1]")]
    [InlineData("36 05 0001 61 0001", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.3.1-4]")]
    [InlineData("38 04 0001 61 00", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.3.1-2]")]
    [InlineData("32 06 0001 61 0000 00", MqttDisconnectReasonCode.ProtocolError, "[MQTT-2.2.1-3]")]
    [InlineData("30 04 0001 23 00", MqttDisconnectReasonCode.TopicNameInvalid, "[MQTT-3.3.2-2]")]
    [InlineData("60 02 0001", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.6.1-1]")]
    [InlineData("80 06 0001 0001 61 00", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.8.1-1]")]
    [InlineData("82 03 0001 00", MqttDisconnectReasonCode.ProtocolError, "[MQTT-3.8.3-2]")]
    [InlineData("82 07 0001 00 0001 61 03", MqttDisconnectReasonCode.MalformedPacket, "QoS 3")]
    [InlineData("C1 00", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-2.1.3-1]")]
    [InlineData("00 00", MqttDisconnectReasonCode.MalformedPacket, "reserved")]
    [InlineData("30 04 0005 61 62", MqttDisconnectReasonCode.MalformedPacket, "[MQTT-2.1.4]")]
    public void Publish_And_Friends_Report_Spec_Violations(string hex, MqttDisconnectReasonCode reason, string citation)
    {
        AssertViolation(hex, MqttProtocolVersion.V500, reason, citation);
    }

    [Theory]
    [InlineData("30 07 0001 61 03 23 0000", "[MQTT-3.3.2-8]")]
    [InlineData("30 08 0001 61 04 01 00 01 00", "twice")]
    [InlineData("30 06 0001 61 02 11 00", "not allowed")]
    [InlineData("30 06 0001 61 02 01 02", "0 or 1")]
    [InlineData("30 06 0001 61 02 7F 00", "not allowed")]
    public void Property_Rules_Are_Protocol_Errors(string hex, string message)
    {
        AssertViolation(hex, MqttProtocolVersion.V500, MqttDisconnectReasonCode.ProtocolError, message);
    }

    [Fact]
    public void Connect_Reserved_Flag_Is_Malformed()
    {
        AssertViolation("10 0D 0004 4D515454 04 03 003C 0001 61", MqttProtocolVersion.V311, MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.1.2-3]");
    }

    [Fact]
    public void V311_Password_Without_User_Name_Is_Malformed()
    {
        AssertViolation("10 10 0004 4D515454 04 42 003C 0001 61 0001 70", MqttProtocolVersion.V311, MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.1.2-22]");
    }

    [Fact]
    public void Will_QoS_Without_Will_Flag_Is_Malformed()
    {
        AssertViolation("10 0D 0004 4D515454 04 0A 003C 0001 61", MqttProtocolVersion.V311, MqttDisconnectReasonCode.MalformedPacket, "[MQTT-3.1.2-11]");
    }

    [Fact]
    public void Unknown_Protocol_Level_Asks_For_Connack_0x84()
    {
        MqttProtocolException ex = Assert.Throws<MqttProtocolException>(() => Codec.Decode(Codec.Hex("10 0D 0004 4D515454 06 02 003C 0001 61"), MqttProtocolVersion.V500));

        Assert.Equal(MqttConnectReasonCode.UnsupportedProtocolVersion, ex.ConnectReasonCode);
        Assert.Contains("[MQTT-3.1.2-2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_Is_Reserved_In_V311()
    {
        AssertViolation("F0 00", MqttProtocolVersion.V311, MqttDisconnectReasonCode.MalformedPacket, "reserved");
    }

    private static void AssertViolation(string hex, MqttProtocolVersion version, MqttDisconnectReasonCode reason, string messagePart)
    {
        MqttProtocolException ex = Assert.Throws<MqttProtocolException>(() => Codec.Decode(Codec.Hex(hex), version));

        Assert.Equal(reason, ex.ReasonCode);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
    }
}
