namespace MedTechEdge.Mqtt.Protocol;

/// <summary>Delivery guarantee of an application message (MQTT 5.0 §4.3).</summary>
public enum MqttQualityOfServiceLevel : byte
{
    /// <summary>QoS 0: at most once, no acknowledgement.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: at least once, acknowledged by PUBACK.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: exactly once, PUBREC / PUBREL / PUBCOMP.</summary>
    ExactlyOnce = 2,
}
