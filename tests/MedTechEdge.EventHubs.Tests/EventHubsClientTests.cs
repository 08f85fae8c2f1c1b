using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MedTechEdge.EventHubs;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests;

public sealed class EventHubsClientTests : IDisposable
{
    private readonly FakeEventHubsEndpoint _endpoint = new();
    private readonly HttpClient _http;

    // Over HTTPS, with a client that trusts exactly the endpoint's throw-away CA.
    public EventHubsClientTests() => _http = _endpoint.CreateClient();

    public void Dispose()
    {
        _http.Dispose();
        _endpoint.Dispose();
    }

    [Fact]
    public async Task A_Batch_Is_One_Signed_Publication_With_Each_Body_As_A_String_And_The_Partition_Key()
    {
        EventHubsClient client = Client();
        var events = new[]
        {
            new EventData(Utf8("""{"hr":72,"note":"a \"quoted\" word"}"""), new Dictionary<string, string> { ["type"] = "heartrate" }),
            new EventData(Utf8("""{"hr":73}""")),
        };

        EventHubsSendResult result = await client.SendAsync("monitor-7", events);

        Assert.Equal(EventHubsSendOutcome.Succeeded, result.Outcome);
        FakeEventHubsEndpoint.Publication publication = Assert.Single(_endpoint.Publications);
        Assert.Equal("https", publication.Scheme);
        Assert.Null(publication.RequestError);
        Assert.Equal("POST", publication.Method);
        Assert.Equal("/" + FakeEventHubsEndpoint.Hub + "/messages", publication.Path);
        Assert.Contains("api-version=2014-01", publication.Query, StringComparison.Ordinal);
        Assert.Equal("application/vnd.microsoft.servicebus.json", publication.ContentType);
        Assert.True(publication.IsSignedFor(_endpoint.ResourceUri), publication.Authorization);
        Assert.StartsWith("SharedAccessSignature sr=" + Uri.EscapeDataString(_endpoint.ResourceUri) + "&", publication.Authorization, StringComparison.Ordinal);
        JsonElement sent = publication.Events;
        Assert.Equal(2, sent.GetArrayLength());
        Assert.Equal("""{"hr":72,"note":"a \"quoted\" word"}""", sent[0].GetProperty("Body").GetString());
        Assert.Equal("heartrate", sent[0].GetProperty("UserProperties").GetProperty("type").GetString());
        Assert.All(sent.EnumerateArray(), e => Assert.Equal("monitor-7", e.GetProperty("BrokerProperties").GetProperty("PartitionKey").GetString()));
        Assert.False(sent[1].TryGetProperty("UserProperties", out _));
    }

    [Fact]
    public async Task A_Batch_Above_The_Publication_Limit_Is_Split_In_Order_And_Each_Part_Fits()
    {
        EventHubsClient client = Client(maxPublicationBytes: 2048);
        var events = new List<EventData>();
        for (int i = 0; i < 40; i++)
        {
            events.Add(new EventData(Utf8($$"""{"n":{{i}},"pad":"{{new string('x', 200)}}"}""")));
        }

        EventHubsSendResult result = await client.SendAsync("d", events);

        Assert.Equal(EventHubsSendOutcome.Succeeded, result.Outcome);
        Assert.True(_endpoint.Publications.Count > 4, $"{_endpoint.Publications.Count} publications");
        Assert.All(_endpoint.Publications, p => Assert.True(p.Body.Length <= 2048, $"{p.Body.Length} bytes"));
        var numbers = new List<int>();
        foreach (FakeEventHubsEndpoint.Publication p in _endpoint.Publications)
        {
            foreach (JsonElement e in p.Events.EnumerateArray())
            {
                numbers.Add(JsonDocument.Parse(e.GetProperty("Body").GetString()!).RootElement.GetProperty("n").GetInt32());
            }
        }

        Assert.Equal(Enumerable.Range(0, 40), numbers);
        Assert.Equal(_endpoint.Publications.Count, client.PublicationCount);
    }

    [Fact]
    public async Task An_Event_Larger_Than_The_Limit_Is_Rejected_Without_Sending_Anything()
    {
        EventHubsClient client = Client(maxPublicationBytes: 1024);

        EventHubsSendResult result = await client.SendAsync("d", [new EventData(Utf8(new string('x', 2000)))]);

        Assert.Equal(EventHubsSendOutcome.Rejected, result.Outcome);
        Assert.Contains("larger than the publication limit", result.Error, StringComparison.Ordinal);
        Assert.Empty(_endpoint.Publications);
    }

    [Theory]
    [InlineData(401, "InvalidSignature", EventHubsSendOutcome.ConfigurationError)]
    [InlineData(403, "Unauthorized: the policy has no Send claim", EventHubsSendOutcome.ConfigurationError)]
    [InlineData(404, "The messaging entity could not be found", EventHubsSendOutcome.ConfigurationError)]
    [InlineData(403, "Quota exceeded for the namespace", EventHubsSendOutcome.Transient)]
    [InlineData(429, "ServerBusy (50002)", EventHubsSendOutcome.Transient)]
    [InlineData(503, "Service unavailable", EventHubsSendOutcome.Transient)]
    [InlineData(500, "Internal error", EventHubsSendOutcome.Transient)]
    [InlineData(400, "Bad request", EventHubsSendOutcome.Rejected)]
    public async Task The_Services_Answer_Is_Classified_And_Its_Words_Kept(int status, string text, EventHubsSendOutcome expected)
    {
        _endpoint.Answers.Enqueue((status, text));

        EventHubsSendResult result = await Client().SendAsync("d", [new EventData(Utf8("{}"))]);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(status, result.StatusCode);
        Assert.Contains(text, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Unreachable_Service_Is_Transient()
    {
        Assert.True(EventHubsConnection.TryParse($"Endpoint=https://127.0.0.1:{ClosedPort()}/;SharedAccessKeyName=k;SharedAccessKey=v;EntityPath=h", null, out EventHubsConnection? connection, out _));

        EventHubsSendResult result = await new EventHubsClient(_http, connection!).SendAsync("d", [new EventData(Utf8("{}"))]);

        Assert.Equal(EventHubsSendOutcome.Transient, result.Outcome);
        Assert.Contains("unreachable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Client_That_Does_Not_Trust_The_Test_CA_Sends_Nothing()
    {
        // TLS is really on: the system store and an unrelated CA both refuse the endpoint's certificate.
        using var systemTrust = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using HttpClient wrongCa = FakeEventHubsEndpoint.ClientTrusting(_endpoint.OtherCaFile);
        Assert.True(EventHubsConnection.TryParse(_endpoint.ConnectionString, null, out EventHubsConnection? connection, out _));

        foreach (HttpClient http in new[] { systemTrust, wrongCa })
        {
            EventHubsSendResult result = await new EventHubsClient(http, connection!).SendAsync("d", [new EventData(Utf8("{}"))]);

            Assert.Equal(EventHubsSendOutcome.Transient, result.Outcome);
            Assert.Contains("SSL", result.Error, StringComparison.Ordinal);
        }

        Assert.Empty(_endpoint.Publications);
        Assert.Equal(EventHubsSendOutcome.Succeeded, (await Client().SendAsync("d", [new EventData(Utf8("{}"))])).Outcome);
    }

    [Theory]
    [InlineData("application/json", """[{"Body":"{}"}]""")]
    [InlineData("application/atom+xml;type=entry;charset=utf-8", """[{"Body":"{}"}]""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, """{"Body":"{}"}""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, "[]")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, """[{"Body":{"hr":72}}]""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, """[{"Body":"{}","Properties":{"a":"b"}}]""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, """[{"Body":"{}","UserProperties":{"a":{"b":1}}}]""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, """[{"Body":"{}","BrokerProperties":{"PartitionKey":7}}]""")]
    [InlineData(FakeEventHubsEndpoint.BatchContentType, "not json")]
    public async Task The_Endpoint_Refuses_A_Request_Outside_The_Documented_Batch_Format(string contentType, string body)
    {
        _endpoint.Answers.Enqueue((201, string.Empty)); // a queued answer does not excuse a malformed batch
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using HttpResponseMessage response = await _http.PostAsync(new Uri(_endpoint.ResourceUri + "/messages?timeout=60&api-version=2014-01"), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(Assert.Single(_endpoint.Publications).RequestError);
    }

    [Theory]
    [InlineData(0, false)] // signed for the https resource: accepted
    [InlineData(1, true)] // signed for the http resource
    [InlineData(2, true)] // another key
    [InlineData(3, true)] // expired
    public async Task The_Endpoint_Checks_The_Signature_Against_The_Https_Resource(int variant, bool refused)
    {
        DateTimeOffset expiry = DateTimeOffset.UtcNow.AddMinutes(variant == 3 ? -1 : 10);
        string resource = variant == 1 ? _endpoint.ResourceUri.Replace("https:", "http:", StringComparison.Ordinal) : _endpoint.ResourceUri;
        string key = variant == 2 ? "d3Jvbmcta2V5" : FakeEventHubsEndpoint.Key;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint.ResourceUri + "/messages?api-version=2014-01"))
        {
            Content = new StringContent("""[{"Body":"{}","BrokerProperties":{"PartitionKey":"d"}}]"""),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(FakeEventHubsEndpoint.BatchContentType);
        request.Headers.TryAddWithoutValidation("Authorization", EventHubsSasToken.Create(new Uri(resource), FakeEventHubsEndpoint.KeyName, key, expiry));

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(refused ? HttpStatusCode.Unauthorized : HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task The_Token_Is_Reused_And_Renewed_Before_It_Expires()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        EventHubsClient client = Client(clock: clock);

        await client.SendAsync("d", [new EventData(Utf8("{}"))]);
        await client.SendAsync("d", [new EventData(Utf8("{}"))]);
        clock.Now += TimeSpan.FromMinutes(56);
        _endpoint.Answers.Enqueue((201, string.Empty)); // the fake would refuse a token it thinks expired; the clock is ours
        await client.SendAsync("d", [new EventData(Utf8("{}"))]);

        string?[] tokens = _endpoint.Publications.Select(p => p.Authorization).ToArray();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
    }

    private EventHubsClient Client(int maxPublicationBytes = 1024 * 1024, TimeProvider? clock = null)
    {
        Assert.True(EventHubsConnection.TryParse(_endpoint.ConnectionString, null, out EventHubsConnection? connection, out string? error), error);
        return new EventHubsClient(_http, connection!, maxPublicationBytes, clock);
    }

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
