using System.Security.Authentication;

namespace MedTechEdge.Mqtt.Client;

/// <summary>TLS to the broker (MQTT 5.0 §5.4.9): TLS 1.2 or 1.3, the broker's certificate checked, an optional client certificate.</summary>
public sealed class MqttClientTlsOptions
{
    /// <summary>Name the broker's certificate must carry; null uses <see cref="MqttClientOptions.Host"/>.</summary>
    public string? TargetHost { get; set; }

    /// <summary>PEM file of the CA certificate(s) the broker's chain must end in; null trusts the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, for brokers that require one; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM (PKCS#8 or traditional) private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Allowed protocol versions; TLS 1.2 and 1.3 unless narrowed.</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;
}
