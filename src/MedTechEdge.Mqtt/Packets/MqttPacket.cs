using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>A decoded control packet. Packets own their data: nothing points into the transport's buffers.</summary>
internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }
}
