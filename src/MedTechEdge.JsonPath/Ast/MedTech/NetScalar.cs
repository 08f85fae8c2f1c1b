using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>The value types Json.NET's <c>JValue</c> takes for documents parsed with DateParseHandling.None.</summary>
internal enum NetType
{
    Null,
    Boolean,
    Integer,
    Float,
    String,

    /// <summary>An object or array: never equal or ordered to anything.</summary>
    Container,
}

/// <summary>
/// A Json.NET-style primitive. A document string stays a <see cref="JsonElement"/> until its text is needed, so
/// equality against a string literal does not allocate.
/// </summary>
internal readonly struct NetScalar
{
    private readonly JsonElement _element;
    private readonly string? _string;

    private NetScalar(NetType type, long integer, double number, bool boolean, string? text, JsonElement element)
    {
        Type = type;
        Integer = integer;
        Float = number;
        Boolean = boolean;
        _string = text;
        _element = element;
    }

    public NetType Type { get; }

    public long Integer { get; }

    public double Float { get; }

    public bool Boolean { get; }

    public static NetScalar Null => new(NetType.Null, 0, 0, false, null, default);

    public static NetScalar FromBoolean(bool value) => new(NetType.Boolean, 0, 0, value, null, default);

    public static NetScalar FromInteger(long value) => new(NetType.Integer, value, 0, false, null, default);

    public static NetScalar FromFloat(double value) => new(NetType.Float, 0, value, false, null, default);

    public static NetScalar FromString(string value) => new(NetType.String, 0, 0, false, value, default);

    /// <summary>
    /// Classifies a document value the way Json.NET's reader does: a number without <c>.</c>, <c>e</c> or <c>E</c>
    /// that fits Int64 is an Integer, every other number a Float (double). Json.NET keeps integers beyond Int64
    /// as BigInteger; they become doubles here (documented difference).
    /// </summary>
    public static NetScalar FromNode(in Node node)
        => node.IsVirtual ? new(NetType.Container, 0, 0, false, null, default) : FromElement(node.Value);

    public static NetScalar FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new(NetType.String, 0, 0, false, null, element);
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    return FromInteger(l);
                }

                return FromFloat(element.TryGetDouble(out double d) ? d : double.NaN);
            case JsonValueKind.True:
                return FromBoolean(true);
            case JsonValueKind.False:
                return FromBoolean(false);
            case JsonValueKind.Null:
                return Null;
            default:
                return new(NetType.Container, 0, 0, false, null, default);
        }
    }

    /// <summary>The value as JSON text, for a fault's message (never on the path that matches).</summary>
    public string ToJsonText() => Type switch
    {
        NetType.Null => "null",
        NetType.Boolean => Boolean ? "true" : "false",
        NetType.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NetType.Float => Float.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        NetType.String => "\"" + JsonEncodedText.Encode(GetString()).ToString() + "\"",
        _ => "(object or array)",
    };

    /// <summary>The string value; allocates for document strings.</summary>
    public string GetString() => _string ?? _element.GetString() ?? string.Empty;

    public bool StringEquals(in NetScalar other)
    {
        if (_string is not null)
        {
            return other._string is not null
                ? string.Equals(_string, other._string, StringComparison.Ordinal)
                : other._element.ValueEquals(_string);
        }

        return other._string is not null ? _element.ValueEquals(other._string) : _element.ValueEquals(other._element.GetString());
    }
}
