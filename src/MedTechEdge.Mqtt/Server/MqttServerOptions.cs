using System.Net;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>Settings of the embedded broker.</summary>
public sealed class MqttServerOptions
{
    /// <summary>Address to listen on; loopback by default, as Mosquitto 2.0 does without configuration.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port; 1883 by default, 0 lets the OS pick (read it from <see cref="MqttServer.LocalEndPoint"/>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Topic filters whose PUBLISHes go to the <see cref="IMqttIngestHandler"/>.</summary>
    public IList<string> IngestTopicFilters { get; } = ["devices/+/messages/events/#", "medtech/+/telemetry"];

    /// <summary>
    /// Zero-based topic level holding the device id (1: "devices/{deviceId}/..."): the ingest DeviceId, and the level
    /// that must equal the authenticated identity under <see cref="DeviceTopicPolicy"/>.
    /// </summary>
    public int DeviceIdTopicLevel { get; set; } = 1;

    /// <summary>QoS 1 and 2 PUBLISHes a client may have unacknowledged per connection; sent as Receive Maximum (MQTT 5.0 §3.2.2.3.3).</summary>
    public ushort ReceiveMaximum { get; set; } = 64;

    /// <summary>Largest packet accepted, sent as Maximum Packet Size (MQTT 5.0 §3.2.2.3.6). 256 KiB like edgeHub.</summary>
    public uint MaximumPacketSize { get; set; } = 256 * 1024;

    /// <summary>Topic aliases a 5.0 client may use towards the server (MQTT 5.0 §3.2.2.3.8); 0 disables them.</summary>
    public ushort TopicAliasMaximum { get; set; } = 32;

    /// <summary>Highest QoS the server supports (MQTT 5.0 §3.2.2.3.4).</summary>
    public MqttQualityOfServiceLevel MaximumQoS { get; set; } = MqttQualityOfServiceLevel.ExactlyOnce;

    /// <summary>Messages queued per session for delivery; beyond this new messages for that session are dropped and counted.</summary>
    public int MaxQueuedMessagesPerClient { get; set; } = 1000;

    /// <summary>Time a new connection has to send CONNECT before it is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound on a 5.0 client's Session Expiry Interval in seconds.</summary>
    public uint MaximumSessionExpiryInterval { get; set; } = 7 * 24 * 3600;

    /// <summary>
    /// Whether clients may connect without credentials. Null (default): allowed only when <see cref="BindAddress"/> is a
    /// loopback address and neither <see cref="CredentialsFile"/> nor client certificates are configured, as Mosquitto 2.0
    /// does without configuration; a listener on any other address then requires authentication.
    /// </summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>
    /// Path of the credentials file (one <c>username:$pbkdf2-sha256$iterations$salt$hash</c> per line, see
    /// <see cref="Security.MqttPasswordHash"/>); null disables username/password authentication. Read when the server is created.
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>
    /// Per-device topic authorization. Null (default): <see cref="MqttDeviceTopicPolicy.PublishAndSubscribe"/> when
    /// <see cref="CredentialsFile"/> or client certificates are configured, otherwise <see cref="MqttDeviceTopicPolicy.Off"/>.
    /// </summary>
    public MqttDeviceTopicPolicy? DeviceTopicPolicy { get; set; }

    /// <summary>Limits on password verification under a flood of bad CONNECTs (concurrency, per-address backoff, success cache, log aggregation).</summary>
    public MqttAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>
    /// The broker's clock: Keep Alive, Will Delay, Session and Message Expiry, and the authentication backoff, cache
    /// and log windows. Tests substitute a fake one so these run without waiting; the CONNECT timeout stays on real time.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The TLS listener; null (default) for none.</summary>
    public MqttServerTlsOptions? Tls { get; set; }

    /// <summary>Whether the unencrypted listener on <see cref="Port"/> runs; true by default. Set false to accept TLS only.</summary>
    public bool UnencryptedListenerEnabled { get; set; } = true;
}
