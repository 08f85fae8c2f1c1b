namespace MedTechEdge.Mqtt.Security;

/// <summary>What the transport proved about a connection before CONNECT: TLS, and a client certificate that passed validation.</summary>
/// <param name="IsTls">The connection came in on the TLS listener.</param>
/// <param name="HasValidClientCertificate">A client certificate was presented and chains to the configured CA.</param>
/// <param name="CertificateIdentity">The certificate subject's Common Name when it names the device identity, else null.</param>
internal sealed record MqttTransportAuthentication(bool IsTls, bool HasValidClientCertificate, string? CertificateIdentity)
{
    public static readonly MqttTransportAuthentication Plain = new(false, false, null);
}
