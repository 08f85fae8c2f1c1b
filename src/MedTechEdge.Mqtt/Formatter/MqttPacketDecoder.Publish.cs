using System.Buffers;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

internal static partial class MqttPacketDecoder
{
    /// <summary>
    /// PUBLISH (MQTT 5.0 §3.3). The payload is copied into a pooled array owned by the packet
    /// (<see cref="MqttPublishPacket.ReturnPayload"/>), so the transport can release its buffer at once.
    /// The Topic Name may be empty here in 5.0 when a Topic Alias stands in for it; the connection resolves that.
    /// </summary>
    private static MqttPublishPacket DecodePublish(ref MqttSpanReader reader, int flags, MqttProtocolVersion version)
    {
        var packet = new MqttPublishPacket
        {
            Dup = (flags & 0x08) != 0,
            QoS = (MqttQualityOfServiceLevel)((flags >> 1) & 0x03),
            Retain = (flags & 0x01) != 0,
        };

        if (packet.Dup && packet.QoS == MqttQualityOfServiceLevel.AtMostOnce)
        {
            MqttThrowHelper.ThrowMalformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2].");
        }

        packet.Topic = reader.ReadString();
        if (packet.Topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            MqttThrowHelper.Throw(MqttDisconnectReasonCode.TopicNameInvalid, "Topic Name contains a wildcard [MQTT-3.3.2-2].");
        }

        if (packet.QoS != MqttQualityOfServiceLevel.AtMostOnce)
        {
            packet.PacketId = ReadPacketId(ref reader);
        }

        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Publish, packet.Properties);
        }
        else if (packet.Topic.Length == 0)
        {
            MqttThrowHelper.Throw(MqttDisconnectReasonCode.TopicNameInvalid, "Empty Topic Name [MQTT-4.7.3-1].");
        }

        ReadOnlySpan<byte> payload = reader.ReadToEnd();
        if (!payload.IsEmpty)
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.CopyTo(rented);
            packet.RentedPayload = rented;
            packet.Payload = rented.AsMemory(0, payload.Length);
        }

        return packet;
    }

    /// <summary>
    /// PUBACK, PUBREC, PUBREL, PUBCOMP (MQTT 5.0 §3.4-§3.7). In 5.0 the reason code may be omitted when it is 0x00
    /// and there are no properties (Remaining Length 2), and the properties may be omitted (Remaining Length 3).
    /// </summary>
    private static MqttAckPacket DecodeAck(ref MqttSpanReader reader, MqttPacketType type, MqttProtocolVersion version)
    {
        var packet = new MqttAckPacket(type, ReadPacketId(ref reader));
        if (version == MqttProtocolVersion.V500 && !reader.IsEnd)
        {
            packet.ReasonCode = reader.ReadByte();
            if (!reader.IsEnd)
            {
                MqttPropertiesReader.Read(ref reader, (int)type, packet.Properties);
            }
        }

        CheckEnd(ref reader, type);
        return packet;
    }
}
