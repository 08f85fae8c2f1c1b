using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>SUBACK (MQTT 5.0 §3.9): one reason code per filter, in SUBSCRIBE order [MQTT-3.8.4-6].</summary>
internal sealed class MqttSubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; set; }
    public List<MqttSubscribeReasonCode> ReasonCodes { get; } = [];
    public MqttProperties Properties { get; set; } = new();
}
