using System.Buffers;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Splits a byte stream into control packets: fixed header byte, Remaining Length (MQTT 5.0 §2.1.4), body.
/// Resumable: on "need more" the reader is rewound to the packet start and false is returned, so the caller can
/// AdvanceTo(consumed: start, examined: end) and read again.
/// </summary>
internal static class MqttFrameReader
{
    public static bool TryReadFrame(ref SequenceReader<byte> reader, uint maximumPacketSize, out byte fixedHeader, out ReadOnlySequence<byte> body)
    {
        body = default;
        long start = reader.Consumed;
        if (!reader.TryRead(out fixedHeader))
        {
            return false;
        }

        if (!MqttVariableByteInteger.TryRead(ref reader, out uint remainingLength))
        {
            reader.Rewind(reader.Consumed - start);
            return false;
        }

        long packetSize = (reader.Consumed - start) + remainingLength;
        if (packetSize > maximumPacketSize)
        {
            // [MQTT-3.2.2-15]: a packet above the announced Maximum Packet Size is answered with 0x95.
            MqttThrowHelper.Throw(MqttDisconnectReasonCode.PacketTooLarge, $"Packet of {packetSize} bytes exceeds the Maximum Packet Size {maximumPacketSize} [MQTT-3.2.2-15].");
        }

        if (reader.Remaining < remainingLength)
        {
            reader.Rewind(reader.Consumed - start);
            return false;
        }

        body = reader.Sequence.Slice(reader.Position, remainingLength);
        reader.Advance(remainingLength);
        return true;
    }
}
