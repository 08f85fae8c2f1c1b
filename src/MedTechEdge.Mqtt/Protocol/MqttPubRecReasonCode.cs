namespace MedTechEdge.Mqtt.Protocol;

/// <summary>PUBREC reason codes (MQTT 5.0 §3.5.2.1); same table as PUBACK.</summary>
internal enum MqttPubRecReasonCode : byte
{
    Success = 0x00,
    NoMatchingSubscribers = 0x10,
    UnspecifiedError = 0x80,
    ImplementationSpecificError = 0x83,
    NotAuthorized = 0x87,
    TopicNameInvalid = 0x90,
    PacketIdentifierInUse = 0x91,
    QuotaExceeded = 0x97,
    PayloadFormatInvalid = 0x99,
}
