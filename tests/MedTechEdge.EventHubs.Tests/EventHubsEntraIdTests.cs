using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Identity;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests;

/// <summary>Entra ID tokens instead of a shared access key, against the fake REST endpoint over HTTPS.</summary>
public sealed class EventHubsEntraIdTests : IDisposable
{
    private readonly FakeEventHubsEndpoint _endpoint = new();
    private readonly HttpClient _http;
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    // Over HTTPS, with a client that trusts exactly the endpoint's throw-away CA.
    public EventHubsEntraIdTests() => _http = _endpoint.CreateClient();

    public void Dispose()
    {
        _http.Dispose();
        _endpoint.Dispose();
    }

    [Fact]
    public async Task The_Token_Goes_As_Bearer_Is_Reused_And_Is_Renewed_Five_Minutes_Before_It_Expires()
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(60));
        EventHubsClient client = Client(credential);

        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);
        _clock.Now += TimeSpan.FromMinutes(54);
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);
        Assert.Equal(1, credential.Calls);

        _clock.Now += TimeSpan.FromMinutes(2); // four minutes left: inside the margin
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);

        Assert.Equal(2, credential.Calls);
        Assert.Equal(["Bearer entra-1", "Bearer entra-1", "Bearer entra-1", "Bearer entra-2"], _endpoint.Publications.Select(p => p.Authorization));
        Assert.All(credential.Scopes, scopes => Assert.Equal(["https://eventhubs.azure.net/.default"], scopes));
    }

    [Fact]
    public async Task A_Token_Shorter_Lived_Than_The_Margin_Is_Still_Reused_Until_Half_Its_Life()
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(2));
        EventHubsClient client = Client(credential);

        await Send(client);
        _clock.Now += TimeSpan.FromSeconds(50);
        await Send(client);
        Assert.Equal(1, credential.Calls);

        _clock.Now += TimeSpan.FromSeconds(20);
        await Send(client);

        Assert.Equal(2, credential.Calls);
        Assert.All(_endpoint.Publications, p => Assert.NotNull(p.BearerToken));
    }

    [Fact]
    public async Task Concurrent_Publications_Share_One_Token_Request()
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(60)) { Delay = TimeSpan.FromMilliseconds(200) };
        EventHubsClient client = Client(credential);

        EventHubsSendResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.SendAsync("d" + i, [Event()])));

        Assert.All(results, r => Assert.Equal(EventHubsSendOutcome.Succeeded, r.Outcome));
        Assert.Equal(1, credential.Calls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_Credential_That_Fails_Is_A_Configuration_Error_And_Nothing_Is_Sent(bool unavailable)
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(60))
        {
            Failure = unavailable
                ? new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response from the IMDS endpoint.")
                : new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided."),
        };

        EventHubsSendResult result = await Send(Client(credential));

        Assert.Equal(EventHubsSendOutcome.ConfigurationError, result.Outcome);
        Assert.Equal(0, result.StatusCode);
        Assert.StartsWith("No Entra ID token for Event Hubs: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(unavailable ? "IMDS" : "AADSTS7000215", result.Error, StringComparison.Ordinal);
        Assert.Empty(_endpoint.Publications);
    }

    [Fact]
    public async Task A_Failed_Renewal_Keeps_Sending_With_The_Still_Valid_Token_And_Asks_Again_Later()
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(60));
        EventHubsClient client = Client(credential);
        await Send(client);
        credential.Failure = new CredentialUnavailableException("The identity endpoint is not answering.");
        _clock.Now += TimeSpan.FromMinutes(56);

        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome); // not asked again at once
        Assert.Equal(2, credential.Calls);

        credential.Failure = null;
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);

        Assert.Equal(3, credential.Calls);
        Assert.Equal("Bearer entra-3", _endpoint.Publications.Last().Authorization);
    }

    [Fact]
    public async Task A_401_To_A_Bearer_Token_Is_A_Configuration_Error_And_The_Token_Is_Not_Used_Again()
    {
        var credential = new CountingCredential(_clock, TimeSpan.FromMinutes(60));
        EventHubsClient client = Client(credential);
        _endpoint.AcceptsBearer = _ => false; // as the service answers a token for another audience, or a revoked one

        EventHubsSendResult result = await Send(client);

        Assert.Equal(EventHubsSendOutcome.ConfigurationError, result.Outcome);
        Assert.Equal(401, result.StatusCode);
        _endpoint.AcceptsBearer = credential.Issued.Contains;
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Send(client)).Outcome);
        Assert.Equal(["Bearer entra-1", "Bearer entra-2"], _endpoint.Publications.Select(p => p.Authorization));
    }

    [Fact]
    public async Task A_403_To_A_Bearer_Token_Is_A_Configuration_Error()
    {
        // The identity is known but has no Data Sender role.
        _endpoint.Answers.Enqueue((403, "Unauthorized access. 'Send' claim(s) are required to perform this operation."));

        EventHubsSendResult result = await Send(Client(new CountingCredential(_clock, TimeSpan.FromMinutes(60))));

        Assert.Equal(EventHubsSendOutcome.ConfigurationError, result.Outcome);
    }

    [Fact]
    public void A_Connection_Without_A_Key_Cannot_Sign_Shared_Access_Signatures()
    {
        Assert.True(EventHubsConnection.TryCreate("contoso.servicebus.windows.net", "vitals", out EventHubsConnection? connection, out _));

        Assert.Throws<ArgumentException>(() => new EventHubsClient(_http, connection!));
    }

    private EventHubsClient Client(CountingCredential credential)
    {
        _endpoint.AcceptsBearer ??= credential.Issued.Contains;
        Assert.True(EventHubsConnection.TryCreate($"https://127.0.0.1:{_endpoint.Port}/", FakeEventHubsEndpoint.Hub, out EventHubsConnection? connection, out string? error), error);
        return new EventHubsClient(_http, connection!, EventHubsAuthorization.Credential(credential, clock: _clock));
    }

    private static Task<EventHubsSendResult> Send(EventHubsClient client) => client.SendAsync("monitor-7", [Event()]);

    private static EventData Event() => new(Encoding.UTF8.GetBytes("""{"hr":72}"""));

    /// <summary>Hands out tokens <c>entra-1</c>, <c>entra-2</c>, … that expire after a set time, and counts the requests.</summary>
    private sealed class CountingCredential(TimeProvider clock, TimeSpan lifetime) : TokenCredential
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ConcurrentBag<string> Issued { get; } = [];

        public ConcurrentQueue<string[]> Scopes { get; } = new();

        public Exception? Failure { get; set; }

        public TimeSpan Delay { get; init; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref _calls);
            Scopes.Enqueue(requestContext.Scopes);
            await Task.Delay(Delay, cancellationToken);
            if (Failure is not null)
            {
                throw Failure;
            }

            string token = "entra-" + call;
            Issued.Add(token);
            return new AccessToken(token, clock.GetUtcNow() + lifetime);
        }
    }
}
