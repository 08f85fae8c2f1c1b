using Azure.Core;
using MedTechEdge.Fhir.Client;
using Microsoft.Extensions.Time.Testing;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class TokenCredentialAccessTokenProviderTests
{
    /// <summary>
    /// A credential that issues numbered one-hour tokens and counts the requests. A gated one holds each request until
    /// the test opens <see cref="Gate"/>, so callers started meanwhile overlap it for certain.
    /// </summary>
    private sealed class CountingCredential(TimeProvider clock, bool gated = false) : TokenCredential
    {
        private int _issued;

        public int Issued => _issued;

        public List<string> Scopes { get; } = [];

        public TaskCompletionSource Gate { get; } = CreateGate(open: !gated);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            await Gate.Task.WaitAsync(cancellationToken);
            int n = Interlocked.Increment(ref _issued);
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken("token-" + n, clock.GetUtcNow().AddHours(1));
        }

        private static TaskCompletionSource CreateGate(bool open)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                gate.SetResult();
            }

            return gate;
        }
    }

    [Fact]
    public async Task A_Token_Is_Reused_Until_Five_Minutes_Before_It_Expires()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
        var credential = new CountingCredential(clock);
        var provider = new TokenCredentialAccessTokenProvider(credential, "https://fhir.example.org/.default", clock);

        Assert.Equal("token-1", await provider.GetAccessTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("token-1", await provider.GetAccessTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("token-2", await provider.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(2, credential.Issued);
        Assert.All(credential.Scopes, s => Assert.Equal("https://fhir.example.org/.default", s));
    }

    [Fact]
    public async Task Concurrent_Callers_Share_One_Token_Request()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var credential = new CountingCredential(clock, gated: true);
        var provider = new TokenCredentialAccessTokenProvider(credential, "api://fhir/.default", clock);

        // Each call runs until it waits (on the credential or behind the first caller), so all sixteen are waiting
        // when the gate opens.
        Task<string?>[] calls = [.. Enumerable.Range(0, 16).Select(_ => provider.GetAccessTokenAsync(CancellationToken.None).AsTask())];
        credential.Gate.SetResult();
        string?[] tokens = await Task.WhenAll(calls);

        Assert.Equal(1, credential.Issued);
        Assert.All(tokens, t => Assert.Equal("token-1", t));
    }

    [Theory]
    [InlineData("https://ws-fhir.fhir.azurehealthcareapis.com/", "https://ws-fhir.fhir.azurehealthcareapis.com/.default")]
    [InlineData("https://fhir.example.org:8443/r4/fhir/", "https://fhir.example.org:8443/.default")]
    public void The_Default_Scope_Is_The_Server_Origin_With_Default(string url, string scope)
    {
        Assert.Equal(scope, TokenCredentialAccessTokenProvider.DefaultScope(new Uri(url)));
    }
}
