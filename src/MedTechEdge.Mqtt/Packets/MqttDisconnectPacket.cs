using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>DISCONNECT (MQTT 5.0 §3.14). 3.1.1 DISCONNECT is client-to-server only and carries nothing.</summary>
internal sealed class MqttDisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public MqttDisconnectReasonCode ReasonCode { get; set; }
    public MqttProperties Properties { get; set; } = new();
}
