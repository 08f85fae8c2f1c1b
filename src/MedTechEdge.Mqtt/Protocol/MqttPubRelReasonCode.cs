namespace MedTechEdge.Mqtt.Protocol;

/// <summary>PUBREL and PUBCOMP reason codes (MQTT 5.0 §3.6.2.1, §3.7.2.1).</summary>
internal enum MqttPubRelReasonCode : byte
{
    Success = 0x00,
    PacketIdentifierNotFound = 0x92,
}
