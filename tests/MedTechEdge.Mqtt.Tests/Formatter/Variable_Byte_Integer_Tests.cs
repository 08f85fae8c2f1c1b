using System.Buffers;
using MedTechEdge.Mqtt.Formatter;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Tests.Formatter;

/// <summary>Variable Byte Integer (MQTT 5.0 §1.5.5, table 1-1 boundaries).</summary>
public sealed class Variable_Byte_Integer_Tests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "8001")]
    [InlineData(321u, "C102")]
    [InlineData(16_383u, "FF7F")]
    [InlineData(16_384u, "808001")]
    [InlineData(2_097_151u, "FFFF7F")]
    [InlineData(2_097_152u, "80808001")]
    [InlineData(268_435_455u, "FFFFFF7F")]
    public void Encodes_And_Decodes_The_Spec_Boundaries(uint value, string hex)
    {
        byte[] expected = Convert.FromHexString(hex);
        Span<byte> buffer = stackalloc byte[4];

        int written = MqttVariableByteInteger.Write(buffer, value);

        Assert.Equal(expected, buffer[..written].ToArray());
        Assert.Equal(expected.Length, MqttVariableByteInteger.GetSize(value));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(expected));
        Assert.True(MqttVariableByteInteger.TryRead(ref reader, out uint decoded));
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void Incomplete_Integer_Asks_For_More()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x80, 0x80]));

        Assert.False(MqttVariableByteInteger.TryRead(ref reader, out _));
    }

    [Fact]
    public void Fifth_Byte_Is_Malformed()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0x01];

        var ex = Assert.Throws<MqttProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            MqttVariableByteInteger.TryRead(ref reader, out _);
        });

        Assert.Equal(MqttDisconnectReasonCode.MalformedPacket, ex.ReasonCode);
        Assert.Contains("[MQTT-1.5.5-1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_Above_The_Maximum_Cannot_Be_Written()
    {
        Assert.Throws<MqttProtocolException>(() => MqttVariableByteInteger.Write(new byte[4], 268_435_456u));
    }
}
