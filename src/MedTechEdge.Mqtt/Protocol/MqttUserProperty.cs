namespace MedTechEdge.Mqtt.Protocol;

/// <summary>An MQTT 5.0 User Property: a UTF-8 string pair; names may repeat and order is kept (§3.3.2.3.7).</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The property value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
