using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Server side of the TLS listener (MQTT 5.0 §5.4.9; 3.1.1 §5.4.9): TLS 1.2 or 1.3 with the configured PEM certificate,
/// and, when configured, client certificates validated against the configured CA only (not the machine's store).
/// </summary>
internal sealed class MqttTlsAcceptor
{
    // RFC 5280 §4.2.1.12 id-kp-clientAuth: a client certificate must be issued for client authentication.
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly SslStreamCertificateContext _serverCertificate;
    private readonly X509Certificate2Collection _clientAuthorities;
    private readonly MqttClientCertificateMode _mode;
    private readonly bool _useCommonNameAsIdentity;

    private MqttTlsAcceptor(SslStreamCertificateContext serverCertificate, X509Certificate2Collection clientAuthorities, MqttServerTlsOptions options)
    {
        _serverCertificate = serverCertificate;
        _clientAuthorities = clientAuthorities;
        _mode = options.ClientCertificateMode;
        _useCommonNameAsIdentity = options.UseCommonNameAsIdentity;
    }

    /// <summary>Loads the certificate, its key and the client CA. Throws when a file is missing or not PEM.</summary>
    public static MqttTlsAcceptor Create(MqttServerTlsOptions options)
    {
        if (string.IsNullOrEmpty(options.CertificateFile))
        {
            throw new ArgumentException("Tls.CertificateFile is required for the TLS listener.", nameof(options));
        }

        X509Certificate2 certificate = options.PrivateKeyFile is null
            ? X509Certificate2.CreateFromPemFile(options.CertificateFile)
            : X509Certificate2.CreateFromPemFile(options.CertificateFile, options.PrivateKeyFile);

        // Intermediates after the leaf in the same file are sent along in the handshake.
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(options.CertificateFile);
        var intermediates = new X509Certificate2Collection();
        foreach (X509Certificate2 extra in chain)
        {
            if (!extra.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                intermediates.Add(extra);
            }
        }

        var authorities = new X509Certificate2Collection();
        if (options.ClientCertificateMode != MqttClientCertificateMode.None)
        {
            if (string.IsNullOrEmpty(options.ClientCertificateAuthorityFile))
            {
                throw new ArgumentException("Tls.ClientCertificateAuthorityFile is required when client certificates are allowed or required.", nameof(options));
            }

            authorities.ImportFromPemFile(options.ClientCertificateAuthorityFile);
            if (authorities.Count == 0)
            {
                throw new CryptographicException($"No certificate in '{options.ClientCertificateAuthorityFile}'.");
            }
        }

        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new MqttTlsAcceptor(context, authorities, options);
    }

    /// <summary>
    /// Runs the TLS handshake on an accepted socket. The returned stream owns the socket. Throws
    /// <see cref="AuthenticationException"/>, <see cref="IOException"/> or <see cref="OperationCanceledException"/> when it
    /// fails; the caller closes the socket then.
    /// </summary>
    public async Task<(SslStream Stream, MqttTransportAuthentication Transport)> AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _serverCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                // Allow asks for a certificate too; the validation callback decides whether its absence is fine.
                ClientCertificateRequired = _mode != MqttClientCertificateMode.None,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = ValidateClientCertificate,
            };
            await ssl.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
            return (ssl, Describe(ssl.RemoteCertificate));
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private MqttTransportAuthentication Describe(X509Certificate? remote)
    {
        if (remote is null || _mode == MqttClientCertificateMode.None)
        {
            return new MqttTransportAuthentication(true, false, null);
        }

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
        string commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return new MqttTransportAuthentication(true, true, _useCommonNameAsIdentity && commonName.Length > 0 ? commonName : null);
    }

    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (_mode == MqttClientCertificateMode.None)
        {
            return true;
        }

        if (certificate is null)
        {
            return _mode == MqttClientCertificateMode.Allow;
        }

        // The platform's verdict (errors) is against the machine store; ours is against the configured CA only.
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));
        if (presentedChain is not null)
        {
            foreach (X509ChainElement element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
