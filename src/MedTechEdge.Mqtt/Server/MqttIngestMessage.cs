using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>A device message handed to <see cref="IMqttIngestHandler"/>.</summary>
public sealed class MqttIngestMessage
{
    /// <summary>The Topic Name the device published to (a 5.0 Topic Alias is already resolved).</summary>
    public required string Topic { get; init; }

    /// <summary>
    /// The application payload. It lives in a pooled buffer that the broker reuses once the handler's task completes:
    /// copy it (or finish with it) before completing, never keep a reference.
    /// </summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The publishing client's Client Identifier (possibly assigned by the server, MQTT 5.0 §3.2.2.3.7).</summary>
    public required string ClientId { get; init; }

    /// <summary>Device id taken from the topic level <see cref="MqttServerOptions.DeviceIdTopicLevel"/>; the client id when the topic has no such level.</summary>
    public required string DeviceId { get; init; }

    /// <summary>
    /// The identity the connection authenticated as: the credentials file's user name or the client certificate's name;
    /// null for an anonymous connection (and for messages that did not come through the embedded broker).
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>
    /// Device ids, or patterns where <c>*</c> stands for any run of characters, that <see cref="Identity"/> may speak
    /// for besides itself (the <c>devices=</c> list of its credentials line); empty for most devices. The same instance
    /// for every message of a connection.
    /// </summary>
    public IReadOnlyList<string> IdentityDeviceIds { get; init; } = [];

    /// <summary>QoS of the PUBLISH as received.</summary>
    public MqttQualityOfServiceLevel QoS { get; init; }

    /// <summary>RETAIN flag of the PUBLISH.</summary>
    public bool Retain { get; init; }

    /// <summary>Protocol version of the publishing connection.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; }

    /// <summary>5.0 User Properties in wire order; empty for 3.1.1.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>5.0 Content Type property, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>Time the broker read the packet.</summary>
    public DateTimeOffset ReceivedAt { get; init; }
}
