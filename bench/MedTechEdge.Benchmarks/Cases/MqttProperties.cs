namespace MedTechEdge.Benchmarks.Cases;

/// <summary>The properties our MQTT ingress writes for a device publishing on its telemetry topic.</summary>
internal static class MqttProperties
{
    public const string None = "{}";

    // The same members modules/MedTechEdge/Ingress/MqttIngressHandler writes, so `$..` scans cover
    // what they cover in production.
    public const string System = """
        {"iothub-connection-device-id":"d1","iothub-enqueuedtime":"2026-11-21T17:00:00.2000000Z","mqtt-topic":"devices/d1/messages/events","mqtt-client-id":"d1","mqtt-qos":1}
        """;
}
