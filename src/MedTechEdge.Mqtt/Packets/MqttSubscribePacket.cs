using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>One Topic Filter with its Subscription Options (MQTT 5.0 §3.8.3.1).</summary>
internal sealed record MqttTopicFilter(
    string Filter,
    MqttQualityOfServiceLevel QoS,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    MqttRetainHandling RetainHandling = MqttRetainHandling.SendAtSubscribe);

/// <summary>SUBSCRIBE (MQTT 5.0 §3.8).</summary>
internal sealed class MqttSubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; set; }
    public List<MqttTopicFilter> Filters { get; } = [];
    public MqttProperties Properties { get; set; } = new();
}
