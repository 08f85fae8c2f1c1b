using System.Buffers;
using MedTechEdge.Mqtt.Formatter;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Formatter;

/// <summary>Framing by Remaining Length (MQTT 5.0 §2.1.4): "need more" and cross-segment bodies.</summary>
public sealed class Frame_Reader_Tests
{
    private static readonly byte[] s_publish = Codec.Hex("32 0A 0003 612F62 0007 00 7B7D");

    [Fact]
    public void Every_Truncation_Asks_For_More_And_Consumes_Nothing()
    {
        for (int length = 0; length < s_publish.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(s_publish, 0, length));

            Assert.False(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out _, out _));
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void Body_Split_Across_One_Byte_Segments_Decodes_Like_A_Contiguous_One()
    {
        var reader = new SequenceReader<byte>(Codec.Fragment(s_publish));

        Assert.True(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out byte header, out ReadOnlySequence<byte> body));
        var publish = Assert.IsType<MqttPublishPacket>(MqttPacketDecoder.Decode(header, body, MqttProtocolVersion.V500));

        Assert.Equal("a/b", publish.Topic);
        Assert.Equal(7, publish.PacketId);
        Assert.Equal("{}"u8.ToArray(), publish.Payload.ToArray());
        publish.ReturnPayload();
    }

    [Fact]
    public void Two_Packets_In_One_Buffer_Are_Read_One_After_The_Other()
    {
        byte[] twoPings = [0xC0, 0x00, 0xC0, 0x00];
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(twoPings));

        Assert.True(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out _, out _));
        Assert.True(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out _, out _));
        Assert.False(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out _, out _));
    }

    [Fact]
    public void Packet_Above_Maximum_Packet_Size_Is_Refused_Before_Its_Body_Arrives()
    {
        MqttProtocolException ex = Assert.Throws<MqttProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x30, 0xFF, 0x7F]));
            MqttFrameReader.TryReadFrame(ref reader, 1024, out _, out _);
        });

        Assert.Equal(MqttDisconnectReasonCode.PacketTooLarge, ex.ReasonCode);
    }
}
