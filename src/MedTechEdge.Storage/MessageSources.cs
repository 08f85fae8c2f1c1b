namespace MedTechEdge.Storage;

/// <summary>The names of the ways a device message comes in (<see cref="InboxMessage.Source"/>), shared by the ingresses and the metrics.</summary>
public static class MessageSources
{
    /// <summary>The module's MQTT listener, or the connect-mode subscriber.</summary>
    public const string Mqtt = "mqtt";

    /// <summary>An IoT Edge route to the module's input, through edgeHub.</summary>
    public const string EdgeHub = "edgehub";

    /// <summary>An Azure Event Hubs event hub, read through a consumer group (the Event Hubs ingress).</summary>
    public const string EventHub = "eventhub";

    /// <summary>The <c>replay</c> backfill command.</summary>
    public const string Replay = "replay";

    /// <summary>A resource refused by the sink, when the device message it was made from is not known.</summary>
    public const string Outbox = "outbox";

    /// <summary>
    /// True for the ways in whose sender waits for the commit before it sends more: an MQTT device for its PUBACK,
    /// edgeHub for its feedback. An Event Hubs batch or a replay is read at the module's own pace.
    /// </summary>
    public static bool AwaitAcknowledgement(string source) =>
        string.Equals(source, Mqtt, StringComparison.Ordinal) || string.Equals(source, EdgeHub, StringComparison.Ordinal);
}
