using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Packets;

/// <summary>CONNECT (MQTT 5.0 §3.1, 3.1.1 §3.1).</summary>
internal sealed class MqttConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;
    public string ClientId { get; set; } = string.Empty;
    /// <summary>Clean Session (3.1.1) / Clean Start (5.0), bit 1 of the Connect Flags.</summary>
    public bool CleanStart { get; set; }
    public ushort KeepAlive { get; set; }
    public string? Username { get; set; }
    public byte[]? Password { get; set; }
    public MqttProperties Properties { get; set; } = new();

    public bool HasWill { get; set; }
    public string WillTopic { get; set; } = string.Empty;
    public byte[] WillPayload { get; set; } = [];
    public MqttQualityOfServiceLevel WillQoS { get; set; }
    public bool WillRetain { get; set; }
    public MqttProperties WillProperties { get; set; } = new();
}
