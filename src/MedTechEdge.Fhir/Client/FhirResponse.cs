using System.Net.Http.Headers;
using System.Text.Json;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// The result of one FHIR REST call. Failures are values, not exceptions: check
/// <see cref="FailureKind"/>. A call that got no HTTP response at all (connection refused,
/// timeout) has <see cref="StatusCode"/> 0 and <see cref="FhirFailureKind.Transient"/>.
/// </summary>
public sealed class FhirResponse
{
    private JsonElement? _json;
    private bool _jsonParsed;
    private FhirOperationOutcome? _outcome;
    private bool _outcomeParsed;

    private FhirResponse(int statusCode, ReadOnlyMemory<byte> body, Exception? transportError)
    {
        StatusCode = statusCode;
        FailureKind = FhirFailureClassifier.Classify(statusCode);
        Body = body;
        TransportError = transportError;
    }

    /// <summary>The HTTP status code; 0 when no response was received.</summary>
    public int StatusCode { get; }

    /// <summary>What kind of failure this is; <see cref="FhirFailureKind.None"/> on success.</summary>
    public FhirFailureKind FailureKind { get; }

    /// <summary>True when <see cref="FailureKind"/> is <see cref="FhirFailureKind.None"/>.</summary>
    public bool IsSuccess => FailureKind == FhirFailureKind.None;

    /// <summary>The <c>ETag</c> header as sent, e.g. <c>W/"3"</c>; null if absent.</summary>
    public string? ETag { get; private init; }

    /// <summary>The version id inside <see cref="ETag"/> (<c>3</c> for <c>W/"3"</c>); null if absent.</summary>
    public string? VersionId => FhirETag.ToVersionId(ETag);

    /// <summary>The <c>Location</c> header, made absolute against the request URL; null if absent.</summary>
    public Uri? Location { get; private init; }

    /// <summary>How long a 429 or 503 asks the caller to wait (<c>Retry-After</c>); null if not given.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>The response body bytes (UTF-8 JSON, or empty). Owned by this response.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The exception that prevented a response (connection failure, timeout); null otherwise.</summary>
    public Exception? TransportError { get; }

    /// <summary>
    /// The body parsed as JSON (parsed once, on first use); null when the body is empty or not JSON.
    /// The element is self-contained and needs no disposal.
    /// </summary>
    public JsonElement? Json
    {
        get
        {
            if (!_jsonParsed)
            {
                _json = ParseJson(Body);
                _jsonParsed = true;
            }

            return _json;
        }
    }

    /// <summary>
    /// The body's OperationOutcome (issue severity, code, diagnostics, expression) when the body is
    /// one, as it is for most FHIR errors; otherwise null.
    /// </summary>
    public FhirOperationOutcome? Outcome
    {
        get
        {
            if (!_outcomeParsed)
            {
                _outcome = OperationOutcomeReader.TryRead(Body.Span);
                _outcomeParsed = true;
            }

            return _outcome;
        }
    }

    /// <summary>
    /// The searchset's <c>link</c> with relation <c>next</c> (FHIR R4 search.html#paging); null on
    /// the last page or when the body is not a Bundle.
    /// </summary>
    public Uri? NextLink
    {
        get
        {
            if (Json is not { ValueKind: JsonValueKind.Object } root
                || !root.TryGetProperty("link", out JsonElement links)
                || links.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (JsonElement link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.Object
                    && link.TryGetProperty("relation", out JsonElement relation)
                    && relation.ValueEquals("next"u8)
                    && link.TryGetProperty("url", out JsonElement url)
                    && url.ValueKind == JsonValueKind.String
                    && Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? next))
                {
                    return next;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Reads each <c>entry.response</c> (status, etag, location, outcome) of a transaction-response
    /// or batch-response body, in request order, with the entry's resource when it has one (a view of <see cref="Body"/>).
    /// </summary>
    /// <exception cref="FormatException">The body is not a Bundle.</exception>
    public IReadOnlyList<FhirBundleEntryResponse> GetEntryResponses() => BundleResponseReader.ReadWithResources(Body);

    /// <summary>For example <c>412 Conflict: error/conflict: ...</c> or <c>0 Transient: Connection refused</c>.</summary>
    public override string ToString()
    {
        string head = $"{StatusCode} {FailureKind}";
        if (TransportError is not null)
        {
            return $"{head}: {TransportError.Message}";
        }

        return IsSuccess || Outcome is null ? head : $"{head}: {Outcome}";
    }

    /// <param name="response">The HTTP answer: status and headers.</param>
    /// <param name="body">Its body, read whole.</param>
    /// <param name="now">When the answer arrived, by the client's clock: a <c>Retry-After</c> date becomes a wait from then.</param>
    internal static FhirResponse FromHttp(HttpResponseMessage response, byte[] body, DateTimeOffset now)
    {
        Uri? location = response.Headers.Location;
        if (location is not null && !location.IsAbsoluteUri && response.RequestMessage?.RequestUri is Uri requestUri)
        {
            location = new Uri(requestUri, location);
        }

        return new FhirResponse((int)response.StatusCode, body, transportError: null)
        {
            ETag = ReadETag(response.Headers),
            Location = location,
            RetryAfter = ReadRetryAfter(response.Headers, now),
        };
    }

    internal static FhirResponse FromTransportError(Exception error) => new(0, ReadOnlyMemory<byte>.Empty, error);

    // The raw header, so that an ETag the typed parser rejects (no quotes) still reaches the caller.
    private static string? ReadETag(HttpResponseHeaders headers)
    {
        if (headers.ETag is EntityTagHeaderValue parsed)
        {
            return parsed.ToString();
        }

        return headers.NonValidated.TryGetValues("ETag", out HeaderStringValues values) ? values.ToString() : null;
    }

    private static TimeSpan? ReadRetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        RetryConditionHeaderValue? retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (retryAfter?.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static JsonElement? ParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
