namespace MedTechEdge.Mqtt.Protocol;

/// <summary>UNSUBACK reason codes (MQTT 5.0 §3.11.3). 3.1.1 UNSUBACK has no reason codes.</summary>
internal enum MqttUnsubscribeReasonCode : byte
{
    Success = 0x00,
    NoSubscriptionExisted = 0x11,
    UnspecifiedError = 0x80,
    ImplementationSpecificError = 0x83,
    NotAuthorized = 0x87,
    TopicFilterInvalid = 0x8F,
    PacketIdentifierInUse = 0x91,
}
