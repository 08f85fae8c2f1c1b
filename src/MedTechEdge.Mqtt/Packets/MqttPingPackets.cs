using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>PINGREQ (MQTT 5.0 §3.12): no variable header, no payload, so one shared instance.</summary>
internal sealed class MqttPingReqPacket : MqttPacket
{
    public static readonly MqttPingReqPacket Instance = new();

    private MqttPingReqPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

/// <summary>PINGRESP (MQTT 5.0 §3.13): shared instance.</summary>
internal sealed class MqttPingRespPacket : MqttPacket
{
    public static readonly MqttPingRespPacket Instance = new();

    private MqttPingRespPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingResp;
}
