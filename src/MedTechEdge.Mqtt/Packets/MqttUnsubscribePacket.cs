using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (MQTT 5.0 §3.10).</summary>
internal sealed class MqttUnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; set; }
    public List<string> Filters { get; } = [];
    public MqttProperties Properties { get; set; } = new();
}
