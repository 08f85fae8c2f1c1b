using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Client;

/// <summary>Connection settings of <see cref="MqttClient"/>.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client Identifier; empty asks the server to assign one (needs <see cref="CleanStart"/> in 3.1.1).</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Protocol version to speak.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Keep Alive (MQTT 5.0 §3.1.2.10); whole seconds, at most 65,535; zero turns it off.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clean Start (5.0) / Clean Session (3.1.1).</summary>
    public bool CleanStart { get; set; } = true;

    /// <summary>5.0 Session Expiry Interval in seconds; 0 ends the session with the connection.</summary>
    public uint SessionExpiryInterval { get; set; }

    /// <summary>TLS settings; null speaks plain TCP.</summary>
    public MqttClientTlsOptions? Tls { get; set; }

    /// <summary>User Name, or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null; sent as UTF-8.</summary>
    public string? Password { get; set; }

    /// <summary>QoS 1/2 messages the server may send before we acknowledge (5.0 Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; set; } = 100;

    /// <summary>Time to wait for CONNACK, SUBACK, PUBACK and the rest, on real time whatever <see cref="TimeProvider"/> is.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The clock of Keep Alive: when a PINGREQ is due and when a silent server is given up. Tests substitute a fake one;
    /// <see cref="Timeout"/> stays on real time, so a client on a stopped test clock still fails instead of hanging.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// When true, a received QoS 1/2 message is not acknowledged on arrival: the consumer calls
    /// <see cref="MqttClient.AcknowledgeAsync"/> once it has stored it. Used by <see cref="MqttSubscriber"/>.
    /// </summary>
    internal bool ManualAcknowledgement { get; set; }
}
