using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>AUTH (MQTT 5.0 §3.15), enhanced authentication; 5.0 only.</summary>
internal sealed class MqttAuthPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;

    public MqttAuthenticateReasonCode ReasonCode { get; set; }
    public MqttProperties Properties { get; set; } = new();
}
