using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Client;

/// <summary>Settings of <see cref="MqttSubscriber"/> ("connect" ingress: the module subscribes to an existing broker).</summary>
public sealed class MqttSubscriberOptions
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>
    /// Client Identifier. Must be non-empty and stable across restarts: the broker keeps the persistent session,
    /// and with it the unacknowledged messages, under this id ([MQTT-3.1.3-8] for 3.1.1).
    /// </summary>
    public string ClientId { get; set; } = "medtechedge";

    /// <summary>Protocol version to speak.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>TLS settings (the broker's 8883 listener); null speaks plain TCP.</summary>
    public MqttClientTlsOptions? Tls { get; set; }

    /// <summary>User Name, or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null; sent as UTF-8.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Asked for the password before each connection, when set, instead of <see cref="Password"/>: for credentials that
    /// expire, such as an IoT Hub SAS token. The broker ends the connection when its token expires, and the reconnect
    /// asks for a fresh one.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? PasswordProvider { get; set; }

    /// <summary>
    /// Called after each successful connection, once the subscriptions are in place, with CONNACK's Session Present.
    /// Runs beside the receive loop, so it may publish a request and wait for its answer. Exceptions are logged.
    /// </summary>
    public Func<bool, CancellationToken, Task>? Connected { get; set; }

    /// <summary>Keep Alive (MQTT 5.0 §3.1.2.10).</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// 5.0 Session Expiry Interval in seconds (MQTT 5.0 §3.1.2.11.2): how long the broker keeps the session, and the
    /// messages queued for it, while the module is away. Must be non-zero. 3.1.1 has no such setting: Clean Session 0
    /// keeps the session until the broker's own limit.
    /// </summary>
    public uint SessionExpiryInterval { get; set; } = 24 * 3600;

    /// <summary>Topic filters subscribed at QoS 1; the same defaults as the embedded broker's ingest filters.</summary>
    public IList<string> TopicFilters { get; } = ["devices/+/messages/events/#", "medtech/+/telemetry"];

    /// <summary>Zero-based topic level holding the device id (1: "devices/{deviceId}/..."); the whole topic when missing.</summary>
    public int DeviceIdTopicLevel { get; set; } = 1;

    /// <summary>
    /// Messages handed to the handler and not yet acknowledged, at most. Sent as the 5.0 Receive Maximum
    /// (MQTT 5.0 §3.1.2.11.3), so the broker itself stops sending there; a 3.1.1 broker uses its own in-flight limit.
    /// </summary>
    public ushort ReceiveMaximum { get; set; } = 100;

    /// <summary>Ceiling of the first reconnect delay; each failed attempt doubles it up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan FirstReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest reconnect delay. A connection that stayed up this long starts the backoff over.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time to wait for CONNACK, SUBACK and DISCONNECT, on real time whatever <see cref="TimeProvider"/> is.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of the reconnect backoff and of Keep Alive; tests substitute a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(ClientId))
        {
            throw new ArgumentException("A persistent session needs a Client Identifier [MQTT-3.1.3-8].", nameof(ClientId));
        }

        if (TopicFilters.Count == 0)
        {
            throw new ArgumentException("At least one topic filter is needed.", nameof(TopicFilters));
        }

        foreach (string filter in TopicFilters)
        {
            if (string.IsNullOrEmpty(filter) || !MqttTopic.IsValidTopicFilter(filter))
            {
                throw new ArgumentException($"'{filter}' is not a valid Topic Filter (MQTT 5.0 §4.7).", nameof(TopicFilters));
            }
        }

        if (ProtocolVersion == MqttProtocolVersion.V500 && SessionExpiryInterval == 0)
        {
            throw new ArgumentException("Session Expiry Interval 0 ends the session with the connection (MQTT 5.0 §3.1.2.11.2).", nameof(SessionExpiryInterval));
        }

        if (FirstReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < FirstReconnectDelay)
        {
            throw new ArgumentException("Reconnect delays must be positive, the first no larger than the maximum.", nameof(FirstReconnectDelay));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(DeviceIdTopicLevel);
        ArgumentOutOfRangeException.ThrowIfZero(ReceiveMaximum);
    }

    internal MqttClientOptions ToClientOptions() => new()
    {
        Host = Host,
        Port = Port,
        Tls = Tls,
        ClientId = ClientId,
        ProtocolVersion = ProtocolVersion,
        Username = Username,
        Password = Password,
        KeepAlive = KeepAlive,
        // Persistent session: 3.1.1 Clean Session 0 [MQTT-3.1.2-4]; 5.0 Clean Start 0 with a Session Expiry Interval [MQTT-3.1.2-5].
        CleanStart = false,
        SessionExpiryInterval = SessionExpiryInterval,
        ReceiveMaximum = ReceiveMaximum,
        Timeout = Timeout,
        TimeProvider = TimeProvider,
        ManualAcknowledgement = true,
    };
}
