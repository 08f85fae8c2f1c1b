namespace MedTechEdge.Mqtt.Protocol;

/// <summary>The protocol level carried in CONNECT (MQTT 3.1.1 §3.1.2.2, MQTT 5.0 §3.1.2.2).</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1, protocol level 4.</summary>
    V311 = 4,

    /// <summary>MQTT 5.0, protocol level 5.</summary>
    V500 = 5,
}
