using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using MedTechEdge.EventHubs;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;
using static MedTechEdge.Pipeline.Tests.Sinks.EventHubSinkPeer;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// The EventHub sink signing in with an Entra ID credential, as with a managed identity or a client secret: AMQP over
/// TLS to a custom endpoint (the peer's own certificate, trusted exactly), a <c>jwt</c> put-token on <c>$cbs</c>.
/// </summary>
public sealed class EventHubSinkEntraIdTests : IDisposable
{
    private const string Token = "eyJ0eXAiOiJKV1QifQ.test-access-token.signature";

    private readonly TestCertificates _pki = TestCertificates.Create();
    private readonly X509Certificate2 _certificate;

    public EventHubSinkEntraIdTests() =>
        _certificate = X509Certificate2.CreateFromPemFile(_pki.ServerCertificateFile, _pki.ServerKeyFile);

    public void Dispose()
    {
        _certificate.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task An_Entra_Id_Token_Is_Put_Over_Tls_And_The_Events_Arrive()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Certificate = _certificate, BearerToken = Token });
        var credential = new FixedTokenCredential(Token);
        await using EventHubSink sink = Sink(Endpoint(peer, credential, TrustExactly(_certificate)));

        SinkResult result = await sink.WriteAsync([Record("bed-1", "o1"), Record("bed-1", "o2")], CancellationToken.None);

        Assert.True(result.IsSuccessful);
        Assert.Equal(["o1", "o2"], (await peer.WaitForEventsAsync(2, TimeSpan.FromSeconds(15))).Select(Id));
        // The token was asked for Event Hubs' own scope, the same for every namespace of the public cloud.
        Assert.Contains("https://eventhubs.azure.net/.default", credential.Scopes);
        Assert.Empty(peer.TokenRefusals);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Token_The_Hub_Does_Not_Accept_Is_Unauthorized()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Certificate = _certificate, BearerToken = Token });
        await using EventHubSink sink = Sink(Endpoint(peer, new FixedTokenCredential("another-identitys-token"), TrustExactly(_certificate)));

        SinkResult result = await sink.WriteAsync([Record("bed-1", "o1")], CancellationToken.None);

        Assert.Equal(SinkFailureKind.Unauthorized, Assert.Single(result.Failed).Details.Kind);
        Assert.Contains("bearer token is not the one", sink.ConfigurationError, StringComparison.Ordinal);
        Assert.Empty(peer.Events);
    }

    [Fact]
    public async Task A_Credential_That_Cannot_Give_A_Token_Is_Unauthorized()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Certificate = _certificate, BearerToken = Token });
        await using EventHubSink sink = Sink(Endpoint(peer, new FixedTokenCredential(null), TrustExactly(_certificate)));

        SinkResult result = await sink.WriteAsync([Record("bed-1", "o1")], CancellationToken.None);

        Assert.Equal(SinkFailureKind.Unauthorized, Assert.Single(result.Failed).Details.Kind);
        Assert.Empty(peer.Events);
    }

    [Fact]
    public async Task A_Client_That_Does_Not_Trust_The_Peers_Certificate_Sends_Nothing()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Certificate = _certificate, BearerToken = Token });
        // No callback: the system's trust store, which does not hold the test CA. TLS is really on.
        await using EventHubSink sink = Sink(Endpoint(peer, new FixedTokenCredential(Token), null));

        SinkResult result = await sink.WriteAsync([Record("bed-1", "o1")], CancellationToken.None);

        SendFailureDetails details = Assert.Single(result.Failed).Details;
        Assert.True(details.Kind == SinkFailureKind.Unauthorized, details.Kind + ": " + details.Message);
        Assert.Contains("TLS", details.Message, StringComparison.Ordinal);
        Assert.Empty(peer.Events);
    }

    private static EventHubsEndpoint Endpoint(EventHubsAmqpPeer peer, TokenCredential credential, RemoteCertificateValidationCallback? validation) =>
        new(EventHubsEndpoint.FromCredential("localhost", peer.Options.Hub, credential))
        {
            CustomEndpointAddress = peer.TlsEndpoint,
            CertificateValidation = validation,
        };

    private static RemoteCertificateValidationCallback TrustExactly(X509Certificate2 expected) =>
        (sender, certificate, chain, errors) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString();

    /// <summary>Hands out one token (or fails as an identity without access does) and records the scopes asked for.</summary>
    private sealed class FixedTokenCredential(string? token) : TokenCredential
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _scopes = [];

        public IReadOnlyCollection<string> Scopes => [.. _scopes];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (string scope in requestContext.Scopes)
            {
                _scopes.Add(scope);
            }

            return token is null
                ? throw new Azure.Identity.CredentialUnavailableException("No managed identity endpoint found (test).")
                : new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
