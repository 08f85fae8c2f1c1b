using System.Buffers;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Encodes control packets for either protocol version. The variable header (and any small payload) goes to a
/// reusable body buffer first because the fixed header carries its length; a PUBLISH payload is written straight from
/// the caller's memory after it, so payload bytes are copied once, into the output. Not thread-safe: one per writer.
/// </summary>
internal sealed partial class MqttPacketEncoder
{
    private readonly MqttBufferWriter _body = new();
    private readonly MqttBufferWriter _properties = new();

    public void Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        _body.Reset();
        ReadOnlySpan<byte> trailer = default;
        byte fixedHeader = (byte)((byte)packet.Type << 4);
        bool v5 = version == MqttProtocolVersion.V500;
        switch (packet)
        {
            case MqttConnectPacket connect:
                EncodeConnect(connect);
                break;
            case MqttConnAckPacket connAck:
                EncodeConnAck(connAck, v5);
                break;
            case MqttPublishPacket publish:
                fixedHeader |= EncodePublish(publish, v5);
                trailer = publish.Payload.Span;
                break;
            case MqttAckPacket ack:
                if (ack.Type == MqttPacketType.PubRel)
                {
                    fixedHeader |= 0x02; // [MQTT-3.6.1-1]
                }

                EncodeAck(ack, v5);
                break;
            case MqttSubscribePacket subscribe:
                fixedHeader |= 0x02; // [MQTT-3.8.1-1]
                EncodeSubscribe(subscribe, v5);
                break;
            case MqttSubAckPacket subAck:
                EncodeSubAck(subAck, v5);
                break;
            case MqttUnsubscribePacket unsubscribe:
                fixedHeader |= 0x02; // [MQTT-3.10.1-1]
                EncodeUnsubscribe(unsubscribe, v5);
                break;
            case MqttUnsubAckPacket unsubAck:
                EncodeUnsubAck(unsubAck, v5);
                break;
            case MqttDisconnectPacket disconnect:
                EncodeDisconnect(disconnect, v5);
                break;
            case MqttAuthPacket auth:
                _body.WriteByte((byte)auth.ReasonCode);
                MqttPropertiesWriter.Write(_body, _properties, auth.Properties);
                break;
            case MqttPingReqPacket:
            case MqttPingRespPacket:
                break;
            default:
                throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet));
        }

        uint remainingLength = (uint)(_body.Length + trailer.Length);
        int headerSize = 1 + MqttVariableByteInteger.GetSize(remainingLength);
        Span<byte> header = output.GetSpan(headerSize);
        header[0] = fixedHeader;
        MqttVariableByteInteger.Write(header[1..], remainingLength);
        output.Advance(headerSize);
        output.Write(_body.WrittenSpan);
        if (!trailer.IsEmpty)
        {
            output.Write(trailer);
        }

        _body.Trim();
    }

    /// <summary>Total size of the encoded packet, for the peer's Maximum Packet Size check (MQTT 5.0 §3.1.2.11.4).</summary>
    public static long GetPublishSize(MqttPublishPacket packet, MqttProtocolVersion version)
    {
        // Upper bound good enough for the check: topic, id, a generous property allowance, payload.
        long variable = 2 + System.Text.Encoding.UTF8.GetByteCount(packet.Topic) + (packet.QoS == MqttQualityOfServiceLevel.AtMostOnce ? 0 : 2);
        if (version == MqttProtocolVersion.V500)
        {
            variable += 64 + (packet.Properties.UserProperties?.Count ?? 0) * 32;
        }

        long remaining = variable + packet.Payload.Length;
        return 1 + MqttVariableByteInteger.GetSize((uint)Math.Min(remaining, MqttVariableByteInteger.MaxValue)) + remaining;
    }
}
