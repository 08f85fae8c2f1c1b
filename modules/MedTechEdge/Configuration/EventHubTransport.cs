namespace MedTechEdge.Configuration;

/// <summary>
/// How AMQP reaches an event hub (<c>Transport</c> of <see cref="EventHubConnectionOptions"/>). The names are the Event
/// Hubs SDK's own, so a setting binds as it always did; the options do not name the SDK's enum itself because binding
/// them would then load the SDK's assembly in every module, configured for Event Hubs or not (docs/operations.md, "Memory").
/// </summary>
internal enum EventHubTransport
{
    /// <summary>AMQP over TLS, port 5671.</summary>
    AmqpTcp,

    /// <summary>AMQP over a secure WebSocket, port 443, for networks that let only HTTPS out.</summary>
    AmqpWebSockets,
}
