using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MedTechEdge.Mqtt.Client;

/// <summary>The client side of the TLS handshake over a connected socket.</summary>
internal static class MqttClientTls
{
    /// <summary>Authenticates the broker and returns the stream to speak MQTT over; it owns <paramref name="socket"/>.</summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The broker's certificate is not trusted, or the handshake failed.</exception>
    public static async Task<SslStream> AuthenticateAsync(Socket socket, string host, MqttClientTlsOptions tls, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        X509Certificate2Collection? clientCertificates = null;
        X509Certificate2Collection? trustedRoots = null;
        try
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = tls.TargetHost ?? host,
                EnabledSslProtocols = tls.Protocols,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };

            if (tls.CaFile is not null)
            {
                // Only the configured CA anchors the chain; the host name is still checked by SslStream.
                trustedRoots = [];
                trustedRoots.ImportFromPemFile(tls.CaFile);
                options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                options.CertificateChainPolicy.CustomTrustStore.AddRange(trustedRoots);
            }

            if (tls.ClientCertificateFile is not null)
            {
                ArgumentException.ThrowIfNullOrEmpty(tls.ClientKeyFile, nameof(tls.ClientKeyFile));
                clientCertificates = [X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile)];
                options.ClientCertificates = clientCertificates;
            }

            await stream.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Trust anchors serve the handshake only; the client certificate stays with the connection.
            DisposeAll(trustedRoots);
        }
    }

    private static void DisposeAll(X509Certificate2Collection? certificates)
    {
        if (certificates is null)
        {
            return;
        }

        foreach (X509Certificate2 certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
