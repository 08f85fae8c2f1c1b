using System.Buffers;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>
/// PUBLISH (MQTT 5.0 §3.3). A decoded packet holds its payload in an array rented from <see cref="ArrayPool{T}.Shared"/>
/// (<see cref="RentedPayload"/>); whoever finishes with the packet calls <see cref="ReturnPayload"/> once. The array is not
/// cleared on return: payloads are device data of the same trust level as every other buffer in the process.
/// Packets built for sending reference caller memory in <see cref="Payload"/> and rent nothing.
/// </summary>
internal sealed class MqttPublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    public string Topic { get; set; } = string.Empty;
    public ushort PacketId { get; set; }
    public MqttQualityOfServiceLevel QoS { get; set; }
    public bool Retain { get; set; }
    public bool Dup { get; set; }
    public ReadOnlyMemory<byte> Payload { get; set; }
    public byte[]? RentedPayload { get; set; }
    public MqttProperties Properties { get; set; } = new();

    public void ReturnPayload()
    {
        byte[]? rented = RentedPayload;
        if (rented is not null)
        {
            RentedPayload = null;
            Payload = default;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
