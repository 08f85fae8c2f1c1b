using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>UNSUBACK (MQTT 5.0 §3.11). 3.1.1 sends only the packet identifier (3.1.1 §3.11).</summary>
internal sealed class MqttUnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketId { get; set; }
    public List<MqttUnsubscribeReasonCode> ReasonCodes { get; } = [];
    public MqttProperties Properties { get; set; } = new();
}
