namespace MedTechEdge.Mqtt.Protocol;

/// <summary>SUBACK reason codes (MQTT 5.0 §3.9.3). 3.1.1 uses 0x00-0x02 and 0x80 only (3.1.1 §3.9.3).</summary>
public enum MqttSubscribeReasonCode : byte
{
    /// <summary>0x00 Granted QoS 0.</summary>
    GrantedQoS0 = 0x00,
    /// <summary>0x01 Granted QoS 1.</summary>
    GrantedQoS1 = 0x01,
    /// <summary>0x02 Granted QoS 2.</summary>
    GrantedQoS2 = 0x02,
    /// <summary>0x80 Unspecified error (3.1.1: Failure).</summary>
    UnspecifiedError = 0x80,
    /// <summary>0x83 Implementation specific error.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>0x87 Not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>0x8F Topic Filter invalid.</summary>
    TopicFilterInvalid = 0x8F,
    /// <summary>0x91 Packet Identifier in use.</summary>
    PacketIdentifierInUse = 0x91,
    /// <summary>0x97 Quota exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>0x9E Shared Subscriptions not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,
    /// <summary>0xA1 Subscription Identifiers not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,
    /// <summary>0xA2 Wildcard Subscriptions not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
