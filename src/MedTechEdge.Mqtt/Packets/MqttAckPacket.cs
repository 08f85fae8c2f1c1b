using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>
/// PUBACK, PUBREC, PUBREL and PUBCOMP share one layout (MQTT 5.0 §3.4-§3.7): packet identifier, reason code,
/// properties. The reason code is kept as its wire byte; <see cref="MqttPubAckReasonCode"/> and
/// <see cref="MqttPubRelReasonCode"/> give it meaning per type.
/// </summary>
internal sealed class MqttAckPacket : MqttPacket
{
    private readonly MqttPacketType _type;

    public MqttAckPacket(MqttPacketType type, ushort packetId, byte reasonCode = 0)
    {
        System.Diagnostics.Debug.Assert(type is MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp);
        _type = type;
        PacketId = packetId;
        ReasonCode = reasonCode;
    }

    public override MqttPacketType Type => _type;

    public ushort PacketId { get; }
    public byte ReasonCode { get; set; }
    public MqttProperties Properties { get; set; } = new();
}
