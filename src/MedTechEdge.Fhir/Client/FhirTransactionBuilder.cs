using System.Text.Json;
using MedTechEdge.Fhir.Buffers;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// Writes a transaction (or batch) Bundle straight to UTF-8 with <see cref="Utf8JsonWriter"/> into a
/// pooled buffer; resources are copied in as raw JSON, never parsed into objects.
/// </summary>
/// <remarks>
/// Output shape (FHIR R4 bundle.html, http.html#transaction):
/// <code>
/// {"resourceType":"Bundle","type":"transaction","entry":[
///   {"resource":{...},"request":{"method":"PUT","url":"Observation/abc","ifMatch":"W/\"2\""}},
///   {"fullUrl":"urn:uuid:...","resource":{...},"request":{"method":"POST","url":"Device","ifNoneExist":"identifier=urn:x|1"}},
///   {"request":{"method":"GET","url":"Observation/abc"}}]}
/// </code>
/// Not thread-safe. Dispose to return the buffer to the pool.
/// </remarks>
public sealed class FhirTransactionBuilder : IDisposable
{
    private readonly PooledBufferWriter _buffer;
    private readonly Utf8JsonWriter _writer;
    private bool _built;

    /// <summary>Starts an empty Bundle of the given type.</summary>
    /// <param name="type">Transaction (all-or-nothing, the default) or batch.</param>
    public FhirTransactionBuilder(FhirBundleType type = FhirBundleType.Transaction)
    {
        if (type is not (FhirBundleType.Transaction or FhirBundleType.Batch))
        {
            throw new ArgumentOutOfRangeException(nameof(type));
        }

        Type = type;
        _buffer = new PooledBufferWriter();
        _writer = new Utf8JsonWriter(_buffer);
        WriteHeader();
    }

    /// <summary>The Bundle type being built.</summary>
    public FhirBundleType Type { get; }

    /// <summary>The number of entries added since construction or the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Adds an update-or-create entry: <c>PUT [type]/[id]</c> (FHIR R4 http.html#update).
    /// </summary>
    /// <param name="resourceType">The resource type, e.g. <c>Observation</c>.</param>
    /// <param name="id">The logical id; must equal the id inside <paramref name="resourceJson"/>.</param>
    /// <param name="resourceJson">The resource, a UTF-8 JSON object.</param>
    /// <param name="ifMatch">Optional expected version (<c>W/"3"</c> or <c>3</c>); becomes <c>request.ifMatch</c>.</param>
    /// <exception cref="ArgumentException">An argument is empty, or <paramref name="resourceJson"/> is not one JSON object.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Build"/> was already called.</exception>
    public void AddPut(string resourceType, string id, ReadOnlySpan<byte> resourceJson, string? ifMatch = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        ArgumentException.ThrowIfNullOrEmpty(id);
        WriteEntry(fullUrl: null, resourceJson, "PUT"u8, resourceType + "/" + id, ifMatch, ifNoneExist: null);
    }

    /// <summary>
    /// Adds a conditional update entry: <c>PUT [type]?[query]</c> (FHIR R4 http.html#cond-update).
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="query">The condition without '?', e.g. <c>identifier=urn:x|42</c>.</param>
    /// <param name="resourceJson">The resource, a UTF-8 JSON object, normally without an id.</param>
    /// <param name="fullUrl">Optional <c>urn:uuid:</c> that other entries use to reference this resource.</param>
    /// <exception cref="ArgumentException">An argument is empty, or <paramref name="resourceJson"/> is not one JSON object.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Build"/> was already called.</exception>
    public void AddConditionalPut(string resourceType, string query, ReadOnlySpan<byte> resourceJson, string? fullUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        WriteEntry(fullUrl, resourceJson, "PUT"u8, resourceType + "?" + query.TrimStart('?'), ifMatch: null, ifNoneExist: null);
    }

    /// <summary>
    /// Adds a create entry: <c>POST [type]</c> (FHIR R4 http.html#create), optionally conditional.
    /// </summary>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="resourceJson">The resource, a UTF-8 JSON object.</param>
    /// <param name="ifNoneExist">Optional conditional-create query without '?' (FHIR R4 http.html#ccreate).</param>
    /// <param name="fullUrl">
    /// Optional <c>urn:uuid:</c> placeholder; references to it elsewhere in the Bundle are rewritten to
    /// the assigned id (FHIR R4 bundle.html#references).
    /// </param>
    /// <exception cref="ArgumentException">An argument is empty, or <paramref name="resourceJson"/> is not one JSON object.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Build"/> was already called.</exception>
    public void AddPost(string resourceType, ReadOnlySpan<byte> resourceJson, string? ifNoneExist = null, string? fullUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        WriteEntry(fullUrl, resourceJson, "POST"u8, resourceType, ifMatch: null, ifNoneExist);
    }

    /// <summary>
    /// Adds a read entry: <c>GET [type]/[id]</c> without a resource (FHIR R4 http.html#read, inside a batch as
    /// http.html#transaction allows). Its response entry carries the status, the resource and <c>response.etag</c>.
    /// </summary>
    /// <param name="resourceType">The resource type, e.g. <c>Observation</c>.</param>
    /// <param name="id">The logical id.</param>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Build"/> was already called.</exception>
    public void AddRead(string resourceType, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        ArgumentException.ThrowIfNullOrEmpty(id);
        StartEntry();
        WriteRequest("GET"u8, resourceType + "/" + id, ifMatch: null, ifNoneExist: null);
    }

    /// <summary>
    /// Closes the Bundle and returns its UTF-8 JSON. Calling it again returns the same bytes.
    /// </summary>
    /// <returns>
    /// A view of the builder's pooled buffer: valid until <see cref="Reset"/> or <see cref="Dispose"/>;
    /// copy it (<c>ToArray()</c>) to keep it longer.
    /// </returns>
    /// <exception cref="InvalidOperationException">No entries were added (FHIR JSON has no empty arrays, and a server rejects an empty transaction).</exception>
    public ReadOnlyMemory<byte> Build()
    {
        if (!_built)
        {
            if (Count == 0)
            {
                throw new InvalidOperationException("A transaction or batch Bundle needs at least one entry.");
            }

            _writer.WriteEndArray();
            _writer.WriteEndObject();
            _writer.Flush();
            _built = true;
        }

        return _buffer.WrittenMemory;
    }

    /// <summary>Discards all entries (and any built output) and starts a new Bundle of the same type, reusing the buffer.</summary>
    public void Reset()
    {
        _writer.Flush();
        _buffer.Clear();
        _writer.Reset(_buffer);
        Count = 0;
        _built = false;
        WriteHeader();
    }

    /// <summary>Returns the buffer to the pool; memory from <see cref="Build"/> is invalid afterwards.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }

    private void WriteHeader()
    {
        _writer.WriteStartObject();
        _writer.WriteString("resourceType"u8, "Bundle"u8);
        _writer.WriteString("type"u8, Type == FhirBundleType.Transaction ? "transaction"u8 : "batch"u8);
    }

    private void WriteEntry(string? fullUrl, ReadOnlySpan<byte> resourceJson, ReadOnlySpan<byte> method, string url, string? ifMatch, string? ifNoneExist)
    {
        if (_built)
        {
            throw new InvalidOperationException("The Bundle was already built; call Reset to start another.");
        }

        // Validate before writing anything, so a bad resource leaves the Bundle unchanged.
        ValidateResourceObject(resourceJson);

        StartEntry();
        if (!string.IsNullOrEmpty(fullUrl))
        {
            _writer.WriteString("fullUrl"u8, fullUrl);
        }

        _writer.WritePropertyName("resource"u8);
        // Already validated above; skip the writer's second pass over the bytes.
        _writer.WriteRawValue(resourceJson, skipInputValidation: true);
        WriteRequest(method, url, ifMatch, ifNoneExist);
    }

    private void StartEntry()
    {
        if (_built)
        {
            throw new InvalidOperationException("The Bundle was already built; call Reset to start another.");
        }

        if (Count == 0)
        {
            _writer.WriteStartArray("entry"u8);
        }

        _writer.WriteStartObject();
    }

    /// <summary>Writes <c>request</c> and closes the entry.</summary>
    private void WriteRequest(ReadOnlySpan<byte> method, string url, string? ifMatch, string? ifNoneExist)
    {
        _writer.WriteStartObject("request"u8);
        _writer.WriteString("method"u8, method);
        _writer.WriteString("url"u8, url);
        if (!string.IsNullOrWhiteSpace(ifMatch))
        {
            _writer.WriteString("ifMatch"u8, FhirETag.ToIfMatch(ifMatch));
        }

        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            _writer.WriteString("ifNoneExist"u8, ifNoneExist.TrimStart('?'));
        }

        _writer.WriteEndObject();
        _writer.WriteEndObject();
        Count++;
    }

    private static void ValidateResourceObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                reader.Skip();
                if (!reader.Read())
                {
                    return;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The resource is not valid JSON: " + ex.Message, "resourceJson", ex);
        }

        throw new ArgumentException("The resource must be exactly one JSON object.", "resourceJson");
    }
}
