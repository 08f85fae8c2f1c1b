using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>CONNACK (MQTT 5.0 §3.2). For 3.1.1 the reason code is converted to a return code on the wire.</summary>
internal sealed class MqttConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; set; }
    public MqttConnectReasonCode ReasonCode { get; set; }
    public MqttProperties Properties { get; set; } = new();
}
