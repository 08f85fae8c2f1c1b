using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// A small FHIR R4 REST client (FHIR R4 http.html) over <see cref="HttpClient"/>, speaking
/// <c>application/fhir+json</c>. Every call returns a <see cref="FhirResponse"/>; HTTP errors,
/// refused connections and timeouts are classified there rather than thrown. Only cancellation
/// of the caller's token throws.
/// </summary>
/// <remarks>
/// Resource bodies are passed and returned as UTF-8 JSON bytes; this library has no FHIR object
/// model in the request path. Thread-safe: one instance can serve concurrent calls, as the
/// underlying <see cref="HttpClient"/> does.
/// </remarks>
public sealed class FhirClient
{
    private readonly HttpClient _http;
    private readonly IFhirAccessTokenProvider _accessTokens;

    /// <summary>Creates a client for the FHIR server at <paramref name="baseUrl"/>.</summary>
    /// <param name="http">The HTTP client; not disposed by this class. Its <see cref="HttpClient.Timeout"/> applies per call.</param>
    /// <param name="baseUrl">The FHIR base, e.g. <c>https://example.fhir.azurehealthcareapis.com/</c>; a trailing slash is added if missing.</param>
    /// <param name="accessTokenProvider">Supplies the bearer token; null sends none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> or <paramref name="baseUrl"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http(s) URL.</exception>
    public FhirClient(HttpClient http, Uri baseUrl, IFhirAccessTokenProvider? accessTokenProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The FHIR base URL must be an absolute http or https URL.", nameof(baseUrl));
        }

        _http = http;
        _accessTokens = accessTokenProvider ?? NoFhirAccessTokenProvider.Instance;
        // Relative URIs resolve below the base only if it ends in '/' (RFC 3986 section 5.2.3).
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    /// <summary>The clock that turns a <c>Retry-After</c> HTTP-date into a wait.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The FHIR base URL, always ending in a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Reads the current version: <c>GET [base]/[type]/[id]</c> (FHIR R4 http.html#read).</summary>
    /// <param name="resourceType">The resource type, e.g. <c>Observation</c>.</param>
    /// <param name="id">The logical id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with the resource and its ETag, or 404/410 (<see cref="FhirFailureKind.NotFound"/>).</returns>
    /// <exception cref="ArgumentException">The type or id is empty or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> ReadAsync(string resourceType, string id, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Get, InstanceUri(resourceType, id), body: null, ifMatch: null, ifNoneExist: null, cancellationToken);

    /// <summary>
    /// Reads the current version of several resources of one type in one round trip: a <c>batch</c> Bundle of
    /// <c>GET [type]/[id]</c> entries posted to the base (FHIR R4 http.html#transaction). The batch-response has one
    /// entry per id, in the same order (http.html#transaction-response); read them with
    /// <see cref="FhirResponse.GetEntryResponses"/>: each has its own status (200 with <see cref="FhirBundleEntryResponse.Resource"/>
    /// and <see cref="FhirBundleEntryResponse.ETag"/>, or 404/410 and the like), as a single <see cref="ReadAsync"/> would.
    /// A failure of the whole request (no connection, 401, 429, 5xx) is the response's own.
    /// </summary>
    /// <param name="resourceType">The resource type, e.g. <c>Observation</c>.</param>
    /// <param name="ids">The logical ids, at least one; a repeated id is read twice.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The type or an id is empty or malformed, or <paramref name="ids"/> is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<FhirResponse> ReadBatchAsync(string resourceType, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ValidateType(resourceType);
        if (ids.Count == 0)
        {
            throw new ArgumentException("A batch read needs at least one id.", nameof(ids));
        }

        using var batch = new FhirTransactionBuilder(FhirBundleType.Batch);
        for (int i = 0; i < ids.Count; i++)
        {
            ValidateId(ids[i]);
            batch.AddRead(resourceType, ids[i]);
        }

        return await SendAsync(HttpMethod.Post, BaseUrl, batch.Build(), ifMatch: null, ifNoneExist: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates or updates the resource with a client-chosen id: <c>PUT [base]/[type]/[id]</c>
    /// (FHIR R4 http.html#update). 201 when it created the resource, 200 when it updated it.
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="id">The logical id; it must equal the <c>id</c> inside <paramref name="resourceJson"/>.</param>
    /// <param name="resourceJson">The resource as UTF-8 JSON.</param>
    /// <param name="ifMatch">
    /// Optional version for optimistic locking (FHIR R4 http.html#concurrency): <c>W/"3"</c> or
    /// just <c>3</c>. A stale version gives 412 (<see cref="FhirFailureKind.Conflict"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The type or id is empty or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> PutAsync(
        string resourceType, string id, ReadOnlyMemory<byte> resourceJson, string? ifMatch = null, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Put, InstanceUri(resourceType, id), resourceJson, ifMatch, ifNoneExist: null, cancellationToken);

    /// <summary>
    /// Conditional update: <c>PUT [base]/[type]?[query]</c> (FHIR R4 http.html#cond-update). No match
    /// creates (201), one match updates it (200), several matches give 412.
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="query">Search parameters without the leading '?', e.g. <c>identifier=urn:x|42</c>; values must already be URL-encoded where they contain '&amp;', '=' or '#'.</param>
    /// <param name="resourceJson">The resource as UTF-8 JSON, normally without an id.</param>
    /// <param name="ifMatch">Optional version of the matched resource (see <see cref="PutAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The type or query is empty or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> ConditionalPutAsync(
        string resourceType, string query, ReadOnlyMemory<byte> resourceJson, string? ifMatch = null, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Put, TypeUri(resourceType, RequireQuery(query)), resourceJson, ifMatch, ifNoneExist: null, cancellationToken);

    /// <summary>
    /// Creates a resource with a server-assigned id: <c>POST [base]/[type]</c> (FHIR R4 http.html#create).
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="resourceJson">The resource as UTF-8 JSON.</param>
    /// <param name="ifNoneExist">
    /// Optional conditional-create query (FHIR R4 http.html#ccreate), e.g. <c>identifier=urn:x|42</c>:
    /// if exactly one resource matches, nothing is created and the server answers 200 (not 201);
    /// several matches give 412.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>201 with Location and ETag on creation.</returns>
    /// <exception cref="ArgumentException">The type is empty or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> CreateAsync(
        string resourceType, ReadOnlyMemory<byte> resourceJson, string? ifNoneExist = null, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, TypeUri(resourceType, query: null), resourceJson, ifMatch: null, ifNoneExist, cancellationToken);

    /// <summary>
    /// Searches one type: <c>GET [base]/[type]?[query]</c> (FHIR R4 search.html). The body is a
    /// searchset Bundle; follow <see cref="FhirResponse.NextLink"/> with <see cref="GetPageAsync"/>, or
    /// use <see cref="SearchPagesAsync"/>.
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="query">Search parameters without the leading '?', e.g. <c>identifier=urn:x|42&amp;_count=50</c>; may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The type is empty or malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> SearchAsync(string resourceType, string query, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Get, TypeUri(resourceType, query), body: null, ifMatch: null, ifNoneExist: null, cancellationToken);

    /// <summary>Fetches a paging link (<c>next</c>, <c>previous</c>) from an earlier searchset.</summary>
    /// <param name="pageUrl">An absolute link; it must be on the same scheme, host and port as <see cref="BaseUrl"/>, so the bearer token never goes elsewhere.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException"><paramref name="pageUrl"/> is relative or points at another server.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> GetPageAsync(Uri pageUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        if (!pageUrl.IsAbsoluteUri || Uri.Compare(pageUrl, BaseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new ArgumentException($"The page link {pageUrl} is not on the FHIR server {BaseUrl}.", nameof(pageUrl));
        }

        return SendAsync(HttpMethod.Get, pageUrl, body: null, ifMatch: null, ifNoneExist: null, cancellationToken);
    }

    /// <summary>
    /// Runs a search and follows its <c>next</c> links, yielding each page's response. Stops after the
    /// last page, or after yielding the first failed response.
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="query">Search parameters without the leading '?'; may be empty.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <exception cref="ArgumentException">The type is empty or malformed, or a next link points at another server.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<FhirResponse> SearchPagesAsync(
        string resourceType, string query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FhirResponse page = await SearchAsync(resourceType, query, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            yield return page;
            if (!page.IsSuccess || page.NextLink is not Uri next)
            {
                yield break;
            }

            page = await GetPageAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Posts a transaction or batch Bundle to the base: <c>POST [base]</c> (FHIR R4 http.html#transaction).
    /// A transaction succeeds or fails as a whole; read per-entry results with
    /// <see cref="FhirResponse.GetEntryResponses"/>.
    /// </summary>
    /// <param name="bundleJson">The Bundle as UTF-8 JSON, e.g. from <see cref="FhirTransactionBuilder.Build"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<FhirResponse> TransactionAsync(ReadOnlyMemory<byte> bundleJson, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, BaseUrl, bundleJson, ifMatch: null, ifNoneExist: null, cancellationToken);

    private async Task<FhirResponse> SendAsync(
        HttpMethod method, Uri uri, ReadOnlyMemory<byte>? body, string? ifMatch, string? ifNoneExist, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Accept", FhirMediaTypes.Json);
        if (body is ReadOnlyMemory<byte> bytes)
        {
            request.Content = new ReadOnlyMemoryContent(bytes);
            request.Content.Headers.ContentType = FhirMediaTypes.JsonContentType();
        }

        if (!string.IsNullOrWhiteSpace(ifMatch))
        {
            request.Headers.TryAddWithoutValidation("If-Match", FhirETag.ToIfMatch(ifMatch));
        }

        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            // FHIR R4 http.html#ccreate: the header holds the query part only, without '?'.
            request.Headers.TryAddWithoutValidation("If-None-Exist", ifNoneExist.TrimStart('?'));
        }

        string? token = await _accessTokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using HttpResponseMessage response = await _http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return FhirResponse.FromHttp(response, content, Clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Not our token: HttpClient.Timeout elapsed. Retryable like any other lost request.
            return FhirResponse.FromTransportError(ex);
        }
        catch (HttpRequestException ex)
        {
            return FhirResponse.FromTransportError(ex);
        }
        catch (IOException ex)
        {
            // The connection dropped while the body was being read (HttpIOException and friends).
            return FhirResponse.FromTransportError(ex);
        }
    }

    private Uri InstanceUri(string resourceType, string id)
    {
        ValidateType(resourceType);
        ValidateId(id);
        return new Uri(BaseUrl, resourceType + "/" + id);
    }

    private Uri TypeUri(string resourceType, string? query)
    {
        ValidateType(resourceType);
        if (string.IsNullOrEmpty(query))
        {
            return new Uri(BaseUrl, resourceType);
        }

        return new Uri(BaseUrl, resourceType + "?" + query.TrimStart('?'));
    }

    private static string RequireQuery(string query)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return query;
    }

    // Resource type names are ASCII letters (FHIR R4 resourcelist.html); checking keeps a caller's
    // typo or an injected '/' or '?' from turning into a different request.
    private static void ValidateType(string resourceType)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        foreach (char c in resourceType)
        {
            if (!char.IsAsciiLetter(c))
            {
                throw new ArgumentException($"\"{resourceType}\" is not a FHIR resource type name.", nameof(resourceType));
            }
        }
    }

    // FHIR R4 datatypes.html#id: [A-Za-z0-9\-\.]{1,64}.
    private static void ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (id.Length > 64)
        {
            throw new ArgumentException($"\"{id}\" is longer than the 64 characters a FHIR id allows.", nameof(id));
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '.')
            {
                throw new ArgumentException($"\"{id}\" is not a valid FHIR id.", nameof(id));
            }
        }
    }
}
