namespace MedTechEdge.Mqtt.Protocol;

/// <summary>
/// A protocol violation by the peer. It carries the 5.0 reason code the receiver answers with before it closes
/// the network connection (MQTT 5.0 §4.13): 0x81 Malformed Packet, 0x82 Protocol Error, 0x95 Packet too large, ...
/// Messages name the normative statement, e.g. "[MQTT-1.5.4-2]".
/// </summary>
internal sealed class MqttProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttProtocolException(MqttDisconnectReasonCode reasonCode, string message)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The reason code to send in DISCONNECT (5.0) or CONNACK when the violation is in CONNECT.</summary>
    public MqttDisconnectReasonCode ReasonCode { get; }

    /// <summary>Set when the violation has a CONNACK-only answer (0x84 Unsupported Protocol Version, 0x85 Client Identifier not valid).</summary>
    public MqttConnectReasonCode? ConnectReasonCode { get; init; }
}
