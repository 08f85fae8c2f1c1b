using System.Buffers;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Decodes one framed control packet for either protocol version. The 3.1.1 and 5.0 layouts differ only in the
/// property blocks and reason codes, so each packet's decoder branches on <see cref="MqttProtocolVersion"/> where
/// they differ instead of keeping two near-copies. Protocol-level detection happens in one place: CONNECT
/// (<see cref="DecodeConnect"/>) reads the level from the packet itself. Split into partial files per packet family.
/// </summary>
internal static partial class MqttPacketDecoder
{
    private const int StackCopyLimit = 256;

    /// <summary>Decodes a body that may span several segments: contiguous bodies are read in place (fast path).</summary>
    public static MqttPacket Decode(byte fixedHeader, in ReadOnlySequence<byte> body, MqttProtocolVersion version)
    {
        if (body.IsSingleSegment)
        {
            return Decode(fixedHeader, body.FirstSpan, version);
        }

        return DecodeMultiSegment(fixedHeader, body, version);
    }

    private static MqttPacket DecodeMultiSegment(byte fixedHeader, in ReadOnlySequence<byte> body, MqttProtocolVersion version)
    {
        int length = checked((int)body.Length);
        if (length <= StackCopyLimit)
        {
            Span<byte> copy = stackalloc byte[StackCopyLimit];
            body.CopyTo(copy);
            return Decode(fixedHeader, copy[..length], version);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Decode(fixedHeader, rented.AsSpan(0, length), version);
        }
        finally
        {
            // The decoded packet copied everything it keeps, so the scratch copy can go back at once.
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static MqttPacket Decode(byte fixedHeader, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(fixedHeader >> 4);
        int flags = fixedHeader & 0x0F;
        CheckFlags(type, flags, version);
        var reader = new MqttSpanReader(body);
        return type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.ConnAck => DecodeConnAck(ref reader, version),
            MqttPacketType.Publish => DecodePublish(ref reader, flags, version),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp => DecodeAck(ref reader, type, version),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader, version),
            MqttPacketType.SubAck => DecodeSubAck(ref reader, version),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader, version),
            MqttPacketType.UnsubAck => DecodeUnsubAck(ref reader, version),
            MqttPacketType.PingReq => MqttPingReqPacket.Instance,
            MqttPacketType.PingResp => MqttPingRespPacket.Instance,
            MqttPacketType.Disconnect => DecodeDisconnect(ref reader, version),
            MqttPacketType.Auth => DecodeAuth(ref reader),
            _ => throw new MqttProtocolException(MqttDisconnectReasonCode.MalformedPacket, "Packet type 0 is reserved (MQTT 5.0 §2.1.2)."),
        };
    }

    private static void CheckFlags(MqttPacketType type, int flags, MqttProtocolVersion version)
    {
        switch (type)
        {
            case MqttPacketType.Publish:
                if ((flags & 0x06) == 0x06)
                {
                    MqttThrowHelper.ThrowMalformed("PUBLISH with QoS 3 [MQTT-3.3.1-4].");
                }

                break;
            case MqttPacketType.PubRel:
            case MqttPacketType.Subscribe:
            case MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    MqttThrowHelper.ThrowMalformed($"{type} fixed header flags must be 0010 [MQTT-3.6.1-1] [MQTT-3.8.1-1] [MQTT-3.10.1-1].");
                }

                break;
            case MqttPacketType.Auth when version == MqttProtocolVersion.V311:
                MqttThrowHelper.ThrowMalformed("Packet type 15 is reserved in MQTT 3.1.1 (3.1.1 §2.2.1).");
                break;
            default:
                if (flags != 0)
                {
                    MqttThrowHelper.ThrowMalformed($"{type} fixed header flags must be 0000 [MQTT-2.1.3-1].");
                }

                break;
        }
    }

    private static ushort ReadPacketId(ref MqttSpanReader reader)
    {
        ushort packetId = reader.ReadUInt16();
        if (packetId == 0)
        {
            MqttThrowHelper.ThrowProtocolError("Packet Identifier 0 [MQTT-2.2.1-3].");
        }

        return packetId;
    }

    private static void CheckEnd(ref MqttSpanReader reader, MqttPacketType type)
    {
        if (!reader.IsEnd)
        {
            MqttThrowHelper.ThrowMalformed($"{type} has {reader.Remaining} bytes past its last field (MQTT 5.0 §2.1.4).");
        }
    }
}
