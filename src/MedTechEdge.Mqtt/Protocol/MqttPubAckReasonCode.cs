namespace MedTechEdge.Mqtt.Protocol;

/// <summary>PUBACK reason codes (MQTT 5.0 §3.4.2.1). PUBREC uses the same values (§3.5.2.1).</summary>
public enum MqttPubAckReasonCode : byte
{
    /// <summary>0x00 Success: the message is accepted.</summary>
    Success = 0x00,
    /// <summary>0x10 No matching subscribers.</summary>
    NoMatchingSubscribers = 0x10,
    /// <summary>0x80 Unspecified error.</summary>
    UnspecifiedError = 0x80,
    /// <summary>0x83 Implementation specific error.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>0x87 Not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>0x90 Topic Name invalid.</summary>
    TopicNameInvalid = 0x90,
    /// <summary>0x91 Packet identifier in use.</summary>
    PacketIdentifierInUse = 0x91,
    /// <summary>0x97 Quota exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>0x99 Payload format invalid.</summary>
    PayloadFormatInvalid = 0x99,
}
