namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// Receives device messages from the embedded broker: every PUBLISH whose topic matches
/// <see cref="MqttServerOptions.IngestTopicFilters"/>.
/// </summary>
/// <remarks>
/// For QoS 1 and 2 the broker sends PUBACK / PUBREC only after the returned task completes with an accepted result,
/// so an implementation should complete it only once the message is durably stored. Calls for many connections, and
/// several calls for one connection, are outstanding at the same time: implementations are expected to batch them
/// (group commit). The broker still acknowledges each connection's messages in receive order (MQTT 5.0 §4.6).
/// A failure result is sent as a negative PUBACK / PUBREC in 5.0; a 3.1.1 client gets no acknowledgement and its
/// connection is closed, so it redelivers after reconnecting. An exception counts as 0x83 Implementation specific error.
/// </remarks>
public interface IMqttIngestHandler
{
    /// <summary>Takes one device message.</summary>
    /// <param name="message">The message; its <see cref="MqttIngestMessage.Payload"/> is valid only until the returned task completes. Never null.</param>
    /// <param name="cancellationToken">Cancelled when the device's connection closes or the server stops.</param>
    /// <returns>Accepted, or a failure reason such as <see cref="Protocol.MqttPubAckReasonCode.QuotaExceeded"/>.</returns>
    ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken);
}
