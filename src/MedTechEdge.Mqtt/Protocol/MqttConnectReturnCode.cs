namespace MedTechEdge.Mqtt.Protocol;

/// <summary>MQTT 3.1.1 CONNACK return codes (3.1.1 §3.2.2.3, table 3.1).</summary>
internal enum MqttConnectReturnCode : byte
{
    ConnectionAccepted = 0x00,
    UnacceptableProtocolVersion = 0x01,
    IdentifierRejected = 0x02,
    ServerUnavailable = 0x03,
    BadUserNameOrPassword = 0x04,
    NotAuthorized = 0x05,
}
