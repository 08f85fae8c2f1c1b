using System.Buffers;
using MedTechEdge.Mqtt.Formatter;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>Encode / decode helpers for codec tests.</summary>
internal static class Codec
{
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        new MqttPacketEncoder().Encode(packet, version, output);
        return output.WrittenSpan.ToArray();
    }

    public static MqttPacket Decode(byte[] bytes, MqttProtocolVersion version)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.True(MqttFrameReader.TryReadFrame(ref reader, uint.MaxValue, out byte header, out ReadOnlySequence<byte> body));
        Assert.Equal(bytes.Length, reader.Consumed);
        return MqttPacketDecoder.Decode(header, body, version);
    }

    public static T RoundTrip<T>(T packet, MqttProtocolVersion version)
        where T : MqttPacket => Assert.IsType<T>(Decode(Encode(packet, version), version));

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>Splits bytes into a chain of one-byte segments, the worst case for cross-segment parsing.</summary>
    public static ReadOnlySequence<byte> Fragment(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        Segment last = first;
        for (int i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
