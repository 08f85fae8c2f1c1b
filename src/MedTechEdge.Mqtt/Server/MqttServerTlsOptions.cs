namespace MedTechEdge.Mqtt.Server;

/// <summary>The TLS listener (MQTT 5.0 §5.4.9, port 8883 by IANA registration): TLS 1.2 or 1.3 only.</summary>
public sealed class MqttServerTlsOptions
{
    /// <summary>TCP port of the TLS listener; 8883 by default, 0 lets the OS pick (read <see cref="MqttServer.TlsLocalEndPoint"/>).</summary>
    public int Port { get; set; } = 8883;

    /// <summary>PEM file with the server certificate, optionally followed by its intermediate CA certificates. Required.</summary>
    public string CertificateFile { get; set; } = string.Empty;

    /// <summary>PEM file with the server certificate's private key (PKCS#8, PKCS#1 or SEC1); null when it is in <see cref="CertificateFile"/>.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>Whether clients are asked for a certificate; <see cref="MqttClientCertificateMode.None"/> by default.</summary>
    public MqttClientCertificateMode ClientCertificateMode { get; set; } = MqttClientCertificateMode.None;

    /// <summary>PEM file with the CA certificate(s) that client certificates must chain to. Required unless <see cref="ClientCertificateMode"/> is None.</summary>
    public string? ClientCertificateAuthorityFile { get; set; }

    /// <summary>
    /// True (default): a client with a valid certificate is authenticated as the certificate subject's Common Name, which is
    /// then its device identity for <see cref="MqttServerOptions.DeviceTopicPolicy"/>. False: the certificate only
    /// admits the connection (a username/password may still name the identity).
    /// </summary>
    public bool UseCommonNameAsIdentity { get; set; } = true;
}
