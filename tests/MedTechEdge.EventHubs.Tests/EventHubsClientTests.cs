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
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

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
        Assert.Equal("POST", publication.Method);
        Assert.Equal("/" + FakeEventHubsEndpoint.Hub + "/messages", publication.Path);
        Assert.Contains("api-version=2014-01", publication.Query, StringComparison.Ordinal);
        Assert.Equal("application/vnd.microsoft.servicebus.json", publication.ContentType);
        Assert.True(publication.IsSignedFor($"http://127.0.0.1:{_endpoint.Port}/{FakeEventHubsEndpoint.Hub}"), publication.Authorization);
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
        Assert.True(EventHubsConnection.TryParse($"Endpoint=http://127.0.0.1:{ClosedPort()}/;SharedAccessKeyName=k;SharedAccessKey=v;EntityPath=h", null, out EventHubsConnection? connection, out _));

        EventHubsSendResult result = await new EventHubsClient(_http, connection!).SendAsync("d", [new EventData(Utf8("{}"))]);

        Assert.Equal(EventHubsSendOutcome.Transient, result.Outcome);
        Assert.Contains("unreachable", result.Error, StringComparison.Ordinal);
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
