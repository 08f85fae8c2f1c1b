using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MedTechEdge.EventHubs;

/// <summary>
/// Sends events with the Event Hubs REST interface (learn.microsoft.com/rest/api/eventhub/send-batch-events):
/// <c>POST {namespace}/{eventHub}/messages</c> with a JSON array of <c>{"Body", "UserProperties", "BrokerProperties"}</c>.
/// Events of one call share a partition key (the module uses the device id, so each device stays in order), and are
/// split into as many publications as the size limit needs (1 MB on Standard and above, 256 KB on Basic).
/// </summary>
public sealed class EventHubsClient
{
    private const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    // The REST interface's documented version; the service answers 201 Created with an empty body.
    private const string Query = "?timeout=60&api-version=2014-01";

    private readonly HttpClient _http;
    private readonly EventHubsAuthorization _authorization;
    private readonly Uri _messages;

    /// <summary>Creates a client that signs with the connection string's key (shared access signatures).</summary>
    /// <param name="http">The HTTP client (its timeout applies to each publication).</param>
    /// <param name="connection">Where to send, and the key to sign with.</param>
    /// <param name="maxPublicationBytes">The tier's publication limit: 1,048,576 (Standard and above) or 262,144 (Basic).</param>
    /// <param name="clock">The clock for token expiry.</param>
    public EventHubsClient(HttpClient http, EventHubsConnection connection, int maxPublicationBytes = 1024 * 1024, TimeProvider? clock = null)
        : this(http, connection, EventHubsAuthorization.SharedAccessSignature(connection, clock), maxPublicationBytes)
    {
    }

    /// <summary>Creates a client with the given authorization (a shared access signature or Entra ID tokens).</summary>
    /// <param name="http">The HTTP client (its timeout applies to each publication).</param>
    /// <param name="connection">Where to send.</param>
    /// <param name="authorization">What each publication's <c>Authorization</c> header carries.</param>
    /// <param name="maxPublicationBytes">The tier's publication limit: 1,048,576 (Standard and above) or 262,144 (Basic).</param>
    public EventHubsClient(HttpClient http, EventHubsConnection connection, EventHubsAuthorization authorization, int maxPublicationBytes = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPublicationBytes, 1024);
        _http = http;
        _authorization = authorization;
        MaxPublicationBytes = maxPublicationBytes;
        _messages = new Uri(connection.ResourceUri.AbsoluteUri + "/messages" + Query);
    }

    /// <summary>The largest request body sent; bigger batches are split.</summary>
    public int MaxPublicationBytes { get; }

    /// <summary>Publications sent since start (each one POST).</summary>
    public long PublicationCount => Interlocked.Read(ref _publications);

    private long _publications;

    /// <summary>
    /// Sends <paramref name="events"/> with one partition key, in order, in as few publications as the limit allows.
    /// Stops at the first publication that fails; the ones before it were accepted, so a caller that keeps the events
    /// and retries them all may send those again (Event Hubs delivery is at least once).
    /// </summary>
    public async Task<EventHubsSendResult> SendAsync(string partitionKey, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(events);
        var body = new ArrayBufferWriter<byte>(16 * 1024);
        int start = 0;
        while (start < events.Count)
        {
            int end = Fill(body, partitionKey, events, start);
            if (end == start)
            {
                return new EventHubsSendResult(EventHubsSendOutcome.Rejected, 0,
                    $"Event {start} alone is larger than the publication limit of {MaxPublicationBytes} bytes.");
            }

            EventHubsSendResult result = await PostAsync(body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != EventHubsSendOutcome.Succeeded)
            {
                return result;
            }

            start = end;
        }

        return EventHubsSendResult.Success;
    }

    /// <summary>
    /// Writes the JSON array of the events from <paramref name="start"/> that fit in one publication; returns the
    /// index after the last one written (<paramref name="start"/> when not even the first fits).
    /// </summary>
    private int Fill(ArrayBufferWriter<byte> body, string partitionKey, IReadOnlyList<EventData> events, int start)
    {
        body.ResetWrittenCount();
        body.Write("["u8);
        var one = new ArrayBufferWriter<byte>(1024);
        int next = start;
        while (next < events.Count)
        {
            one.ResetWrittenCount();
            WriteEvent(one, partitionKey, events[next]);
            int separator = next > start ? 1 : 0;
            // + 1 for the closing bracket.
            if (body.WrittenCount + separator + one.WrittenCount + 1 > MaxPublicationBytes)
            {
                break;
            }

            if (separator == 1)
            {
                body.Write(","u8);
            }

            body.Write(one.WrittenSpan);
            next++;
        }

        body.Write("]"u8);
        return next;
    }

    private static void WriteEvent(ArrayBufferWriter<byte> output, string partitionKey, EventData e)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        // In a batch the Body is a string (a JSON message is embedded, escaped); properties must be in the body,
        // since headers apply only to single-event sends.
        writer.WriteString("Body"u8, e.Body.Span);
        if (e.Properties is { Count: > 0 })
        {
            writer.WriteStartObject("UserProperties"u8);
            foreach (KeyValuePair<string, string> property in e.Properties)
            {
                writer.WriteString(property.Key, property.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("BrokerProperties"u8);
        writer.WriteString("PartitionKey"u8, partitionKey);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private async Task<EventHubsSendResult> PostAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        string authorization;
        try
        {
            authorization = await _authorization.HeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EventHubsAuthorizationException ex)
        {
            // Like a 401: the identity or its settings are wrong, the data is fine and waits.
            return new EventHubsSendResult(EventHubsSendOutcome.ConfigurationError, 0, Shorten(ex.Message));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _messages) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(BatchContentType);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return new EventHubsSendResult(EventHubsSendOutcome.Transient, 0, "Event Hubs unreachable: " + ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EventHubsSendResult(EventHubsSendOutcome.Transient, 0, "Event Hubs did not answer in time.");
        }

        using (response)
        {
            Interlocked.Increment(ref _publications);
            if (response.IsSuccessStatusCode)
            {
                return EventHubsSendResult.Success;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                _authorization.Forget();
            }

            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            string error = $"HTTP {status} from Event Hubs: {Shorten(text)}";
            return new EventHubsSendResult(Classify(response.StatusCode, text), status, error);
        }
    }

    /// <summary>
    /// 429 and 5xx are throttling or outages; 401, 403 and 404/410 mean the settings are wrong (the Service Bus REST
    /// documentation also gives 403 for a quota exceeded or a message too large: those say so in the text); 400 and
    /// 413 refuse the content.
    /// </summary>
    internal static EventHubsSendOutcome Classify(HttpStatusCode status, string text) => (int)status switch
    {
        429 or >= 500 => EventHubsSendOutcome.Transient,
        403 when text.Contains("quota", StringComparison.OrdinalIgnoreCase) => EventHubsSendOutcome.Transient,
        403 when text.Contains("too large", StringComparison.OrdinalIgnoreCase) => EventHubsSendOutcome.Rejected,
        401 or 403 or 404 or 410 => EventHubsSendOutcome.ConfigurationError,
        408 => EventHubsSendOutcome.Transient,
        _ => EventHubsSendOutcome.Rejected,
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
