namespace MedTechEdge.Mqtt.Server;

/// <summary>Whether the TLS listener asks clients for a certificate.</summary>
public enum MqttClientCertificateMode
{
    /// <summary>No client certificate is requested.</summary>
    None = 0,

    /// <summary>Requested; a client without one may still authenticate with username/password (or anonymously where allowed). A presented certificate must be valid.</summary>
    Allow = 1,

    /// <summary>Required: the TLS handshake fails without a valid client certificate.</summary>
    Require = 2,
}
