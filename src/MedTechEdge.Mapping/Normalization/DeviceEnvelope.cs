using System.Buffers;
using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath;

namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// The object every device-mapping expression is evaluated against:
/// <c>{"Body": &lt;body&gt;, "Properties": {...}, "SystemProperties": {...}}</c> (medtech-semantics §1).
/// Every ingress (MQTT, IoT Edge route, replay) goes through here, so a template sees the same shape
/// whichever way a message arrived.
/// </summary>
/// <remarks>
/// The envelope is never composed on the hot path. The body is parsed once, in place; the two property
/// objects are parsed only if an expression enters them, and a descendant scan for a member name does not
/// enter a property object whose text does not contain that name. Only a JMESPath expression, or a JSONPath
/// one that selects the envelope itself, makes it compose the whole envelope (<see cref="ToElement"/>).
/// </remarks>
public sealed class DeviceEnvelope : VirtualObject, IDisposable
{
    private const int BodyIndex = 0;
    private const int PropertiesIndex = 1;

    private static readonly VirtualObjectMembers s_members = new(MappingNames.Body, MappingNames.Properties, MappingNames.SystemProperties);
    private static readonly SearchValues<char> s_escapable = SearchValues.Create("\"\\/\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };
    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement;

    private readonly ReadOnlyMemory<byte> _body;
    private readonly ReadOnlyMemory<byte> _properties;
    private readonly ReadOnlyMemory<byte> _systemProperties;
    private readonly JsonDocument? _bodyDocument;
    private readonly JsonElement _bodyElement;
    private JsonDocument? _propertiesDocument;
    private JsonDocument? _systemPropertiesDocument;
    private JsonDocument? _composed;
    private PropertyTextProbe _propertiesProbe;
    private PropertyTextProbe _systemPropertiesProbe;

    private DeviceEnvelope(ReadOnlyMemory<byte> body, JsonDocument? bodyDocument, ReadOnlyMemory<byte> properties, ReadOnlyMemory<byte> systemProperties)
        : base(s_members)
    {
        _body = body;
        _bodyDocument = bodyDocument;
        _bodyElement = bodyDocument?.RootElement ?? s_null;
        _properties = properties;
        _systemProperties = systemProperties;
    }

    /// <summary>The body (<c>null</c> for an empty one).</summary>
    public JsonElement Body => _bodyElement;

    /// <summary>
    /// Parses the body and wraps it with the two property objects. An empty body becomes <c>null</c>. Returns
    /// false, with the reason, when the body is not JSON (the message then goes to dead letters).
    /// </summary>
    /// <param name="body">The body bytes as received (UTF-8 JSON); they must outlive the envelope, which reads them in place.</param>
    /// <param name="properties">Application properties, a UTF-8 JSON object (trusted: written by the ingress); read in place.</param>
    /// <param name="systemProperties">Broker properties, a UTF-8 JSON object (trusted: written by the ingress); read in place.</param>
    /// <param name="envelope">The envelope; the caller disposes it.</param>
    /// <param name="error">Why the body was rejected.</param>
    public static bool TryCreate(ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> properties, ReadOnlyMemory<byte> systemProperties, out DeviceEnvelope? envelope, out string? error)
    {
        JsonDocument? document = null;
        if (!IsBlank(body.Span))
        {
            try
            {
                // RFC 8259 §2: exactly one JSON value, nothing after it but whitespace.
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                envelope = null;
                error = "Invalid event message. Cannot be parsed into a JSON object: " + ex.Message;
                return false;
            }
        }

        envelope = new DeviceEnvelope(body, document, properties, systemProperties);
        error = null;
        return true;
    }

    /// <summary>The same with the property objects as text (tools and tests).</summary>
    public static bool TryCreate(ReadOnlyMemory<byte> body, string propertiesJson, string systemPropertiesJson, out DeviceEnvelope? envelope, out string? error)
    {
        ArgumentNullException.ThrowIfNull(propertiesJson);
        ArgumentNullException.ThrowIfNull(systemPropertiesJson);
        return TryCreate(body, Encoding.UTF8.GetBytes(propertiesJson), Encoding.UTF8.GetBytes(systemPropertiesJson), out envelope, out error);
    }

    /// <inheritdoc />
    public override JsonElement GetMemberValue(int index) => index switch
    {
        BodyIndex => _bodyElement,
        PropertiesIndex => (_propertiesDocument ??= JsonDocument.Parse(_properties)).RootElement,
        _ => (_systemPropertiesDocument ??= JsonDocument.Parse(_systemProperties)).RootElement,
    };

    /// <inheritdoc />
    public override bool MayContainMemberName(int index, string name)
    {
        if (index == BodyIndex)
        {
            return true;
        }

        // Every template's scan asks the same question of the same text, so the last answer is kept.
        ref PropertyTextProbe probe = ref index == PropertiesIndex ? ref _propertiesProbe : ref _systemPropertiesProbe;
        if (!ReferenceEquals(probe.Name, name) && !string.Equals(probe.Name, name, StringComparison.Ordinal))
        {
            probe = new PropertyTextProbe(name, Probe((index == PropertiesIndex ? _properties : _systemProperties).Span, name));
        }

        return probe.MayContain;
    }

    // The property objects are small: a member name that is not in their text cannot be in them. Only a
    // \uXXXX escape, or a name with a character JSON may escape (" \ / or a control), could hide it.
    private static bool Probe(ReadOnlySpan<byte> json, string name)
    {
        if (json.Length <= 2)
        {
            return false;
        }

        if (name.AsSpan().IndexOfAny(s_escapable) >= 0 || json.IndexOf("\\u"u8) >= 0)
        {
            return true;
        }

        int max = Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[]? rented = max > 256 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[256];
        bool found = json.IndexOf(utf8[..Encoding.UTF8.GetBytes(name, utf8)]) >= 0;
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return found;
    }

    /// <summary>
    /// True when the envelope's own probe of a property object would say it may contain one of
    /// <paramref name="plainNames"/> (names with no character JSON may escape, in UTF-8): false only when a scan for
    /// any of them would not enter the object.
    /// </summary>
    internal static bool PropertyObjectMayContainAny(ReadOnlySpan<byte> json, byte[][] plainNames)
    {
        if (json.Length <= 2)
        {
            return false;
        }

        if (json.IndexOf("\\u"u8) >= 0)
        {
            return true;
        }

        for (int i = 0; i < plainNames.Length; i++)
        {
            if (json.IndexOf(plainNames[i]) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The whole envelope as one element, composed and parsed on first use and kept until disposal.</summary>
    public JsonElement ToElement()
    {
        if (_composed is null)
        {
            _composed = Compose(_body.Span, _properties.Span, _systemProperties.Span, out _);
        }

        return _composed!.RootElement;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bodyDocument?.Dispose();
        _propertiesDocument?.Dispose();
        _systemPropertiesDocument?.Dispose();
        _composed?.Dispose();
    }

    /// <summary>
    /// Composes and parses the envelope as one document, for callers that need it whole; the pipeline uses
    /// <see cref="TryCreate"/>. An empty body becomes <c>null</c>. Returns false, with the
    /// reason, when the body is not JSON (the message then goes to dead letters).
    /// </summary>
    /// <param name="body">The body bytes as received (UTF-8 JSON).</param>
    /// <param name="propertiesJson">Application properties as JSON object text (trusted: written by the ingress).</param>
    /// <param name="systemPropertiesJson">Broker properties as JSON object text (trusted: written by the ingress).</param>
    /// <param name="envelope">The parsed envelope; the caller disposes it.</param>
    /// <param name="error">Why the body was rejected.</param>
    public static bool TryBuild(ReadOnlySpan<byte> body, string propertiesJson, string systemPropertiesJson, out JsonDocument? envelope, out string? error)
    {
        ArgumentNullException.ThrowIfNull(propertiesJson);
        ArgumentNullException.ThrowIfNull(systemPropertiesJson);
        envelope = Compose(body, Encoding.UTF8.GetBytes(propertiesJson), Encoding.UTF8.GetBytes(systemPropertiesJson), out error);
        return envelope is not null;
    }

    private static JsonDocument? Compose(ReadOnlySpan<byte> body, ReadOnlySpan<byte> properties, ReadOnlySpan<byte> systemProperties, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + properties.Length + systemProperties.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(MappingNames.Body);
            if (IsBlank(body))
            {
                writer.WriteNullValue();
            }
            else
            {
                try
                {
                    // Validates the body as one JSON value (RFC 8259 §2) while copying it.
                    writer.WriteRawValue(body, skipInputValidation: false);
                }
                catch (JsonException ex)
                {
                    error = "Invalid event message. Cannot be parsed into a JSON object: " + ex.Message;
                    return null;
                }
            }

            writer.WritePropertyName(MappingNames.Properties);
            writer.WriteRawValue(properties, skipInputValidation: true);
            writer.WritePropertyName(MappingNames.SystemProperties);
            writer.WriteRawValue(systemProperties, skipInputValidation: true);
            writer.WriteEndObject();
        }

        error = null;
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        for (int i = 0; i < body.Length; i++)
        {
            byte b = body[i];
            if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct PropertyTextProbe(string? Name, bool MayContain);
}
