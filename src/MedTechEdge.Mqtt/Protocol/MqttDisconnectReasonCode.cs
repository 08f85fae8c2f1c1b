namespace MedTechEdge.Mqtt.Protocol;

/// <summary>DISCONNECT reason codes (MQTT 5.0 §3.14.2.1).</summary>
public enum MqttDisconnectReasonCode : byte
{
    /// <summary>0x00 Normal disconnection.</summary>
    NormalDisconnection = 0x00,
    /// <summary>0x04 Disconnect with Will Message.</summary>
    DisconnectWithWillMessage = 0x04,
    /// <summary>0x80 Unspecified error.</summary>
    UnspecifiedError = 0x80,
    /// <summary>0x81 Malformed Packet.</summary>
    MalformedPacket = 0x81,
    /// <summary>0x82 Protocol Error.</summary>
    ProtocolError = 0x82,
    /// <summary>0x83 Implementation specific error.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>0x87 Not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>0x89 Server busy.</summary>
    ServerBusy = 0x89,
    /// <summary>0x8B Server shutting down.</summary>
    ServerShuttingDown = 0x8B,
    /// <summary>0x8D Keep Alive timeout.</summary>
    KeepAliveTimeout = 0x8D,
    /// <summary>0x8E Session taken over.</summary>
    SessionTakenOver = 0x8E,
    /// <summary>0x8F Topic Filter invalid.</summary>
    TopicFilterInvalid = 0x8F,
    /// <summary>0x90 Topic Name invalid.</summary>
    TopicNameInvalid = 0x90,
    /// <summary>0x93 Receive Maximum exceeded.</summary>
    ReceiveMaximumExceeded = 0x93,
    /// <summary>0x94 Topic Alias invalid.</summary>
    TopicAliasInvalid = 0x94,
    /// <summary>0x95 Packet too large.</summary>
    PacketTooLarge = 0x95,
    /// <summary>0x96 Message rate too high.</summary>
    MessageRateTooHigh = 0x96,
    /// <summary>0x97 Quota exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>0x98 Administrative action.</summary>
    AdministrativeAction = 0x98,
    /// <summary>0x99 Payload format invalid.</summary>
    PayloadFormatInvalid = 0x99,
    /// <summary>0x9A Retain not supported.</summary>
    RetainNotSupported = 0x9A,
    /// <summary>0x9B QoS not supported.</summary>
    QoSNotSupported = 0x9B,
    /// <summary>0x9C Use another server.</summary>
    UseAnotherServer = 0x9C,
    /// <summary>0x9D Server moved.</summary>
    ServerMoved = 0x9D,
    /// <summary>0x9E Shared Subscriptions not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,
    /// <summary>0x9F Connection rate exceeded.</summary>
    ConnectionRateExceeded = 0x9F,
    /// <summary>0xA0 Maximum connect time.</summary>
    MaximumConnectTime = 0xA0,
    /// <summary>0xA1 Subscription Identifiers not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,
    /// <summary>0xA2 Wildcard Subscriptions not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
