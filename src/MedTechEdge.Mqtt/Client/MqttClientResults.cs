using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Client;

/// <summary>Outcome of CONNECT (MQTT 5.0 §3.2).</summary>
/// <param name="ReasonCode">CONNACK reason code (3.1.1 return codes are mapped to it).</param>
/// <param name="SessionPresent">Whether the server resumed a session.</param>
/// <param name="AssignedClientId">The client id the server assigned, or null.</param>
public sealed record MqttConnectResult(MqttConnectReasonCode ReasonCode, bool SessionPresent, string? AssignedClientId)
{
    /// <summary>True when the connection is accepted.</summary>
    public bool IsSuccess => ReasonCode == MqttConnectReasonCode.Success;
}

/// <summary>Outcome of a publish: the PUBACK (QoS 1) or PUBREC/PUBCOMP (QoS 2) reason code; Success for QoS 0 once written.</summary>
/// <param name="ReasonCode">The reason code; 3.1.1 acknowledgements are always Success.</param>
/// <param name="PacketId">The packet identifier used, 0 for QoS 0.</param>
/// <param name="ReasonString">5.0 Reason String, or null.</param>
public sealed record MqttPublishResult(MqttPubAckReasonCode ReasonCode, ushort PacketId, string? ReasonString)
{
    /// <summary>True for reason codes below 0x80.</summary>
    public bool IsSuccess => (byte)ReasonCode < 0x80;
}

/// <summary>Outcome of SUBSCRIBE for one filter.</summary>
/// <param name="ReasonCode">Granted QoS or failure code from SUBACK.</param>
public sealed record MqttSubscribeResult(MqttSubscribeReasonCode ReasonCode)
{
    /// <summary>True when a QoS was granted.</summary>
    public bool IsSuccess => (byte)ReasonCode <= 2;
}

/// <summary>A message received on a subscription.</summary>
public sealed class MqttApplicationMessage
{
    /// <summary>Topic Name.</summary>
    public required string Topic { get; init; }

    /// <summary>Payload (owned by this message).</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>QoS as delivered.</summary>
    public MqttQualityOfServiceLevel QoS { get; init; }

    /// <summary>RETAIN flag as delivered.</summary>
    public bool Retain { get; init; }

    /// <summary>DUP flag as delivered.</summary>
    public bool Dup { get; init; }

    /// <summary>5.0 User Properties.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>5.0 Content Type, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>5.0 Message Expiry Interval as received, or null.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>Packet Identifier of a QoS 1/2 PUBLISH (0 for QoS 0); what <see cref="MqttClient.AcknowledgeAsync"/> answers.</summary>
    internal ushort PacketId { get; init; }
}
