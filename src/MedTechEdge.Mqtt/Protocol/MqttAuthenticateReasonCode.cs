namespace MedTechEdge.Mqtt.Protocol;

/// <summary>AUTH reason codes (MQTT 5.0 §3.15.2.1).</summary>
internal enum MqttAuthenticateReasonCode : byte
{
    Success = 0x00,
    ContinueAuthentication = 0x18,
    ReAuthenticate = 0x19,
}
