using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath;

/// <summary>
/// A JMESPath value: either a view over a <see cref="JsonElement"/> of the input document (no copy), or a value
/// computed during evaluation (numbers, strings, arrays and objects built by projections and functions).
/// </summary>
/// <remarks>
/// <para>The default value is JSON <c>null</c>.</para>
/// <para>
/// Numbers keep whether they are integers: a JSON number written without fraction or exponent that fits a
/// 64-bit signed integer is an integer; anything else is a float. The MedTech arithmetic functions depend on
/// this (jmespath.md, "MedTech custom functions").
/// </para>
/// </remarks>
public readonly partial struct JmesPathValue
{
    private readonly JsonElement _element;
    private readonly object? _payload;

    // One 64-bit slot: the integer when _isInteger, the boolean as 0/1, otherwise the bits of the double.
    private readonly long _bits;
    private readonly JmesPathValueKind _kind;
    private readonly Representation _representation;
    private readonly bool _isInteger;
    private readonly bool _isProjection;

    private JmesPathValue(
        JmesPathValueKind kind,
        Representation representation,
        JsonElement element = default,
        object? payload = null,
        long bits = 0,
        bool isInteger = false,
        bool isProjection = false)
    {
        _kind = kind;
        _representation = representation;
        _element = element;
        _payload = payload;
        _bits = bits;
        _isInteger = isInteger;
        _isProjection = isProjection;
    }

    /// <summary>Where the value lives. <c>Inline</c> is 0 so that <c>default</c> is an inline null.</summary>
    private enum Representation : byte
    {
        Inline = 0,
        Element,
        Payload,
    }

    /// <summary>The JMESPath type of the value.</summary>
    public JmesPathValueKind Kind => _kind;

    /// <summary>
    /// True when the value is the array produced by a projection (<c>[*]</c>, <c>*</c>, <c>[]</c>, a filter or a
    /// slice). MedTech's type match uses select-many semantics on projections (medtech-semantics §2.3).
    /// </summary>
    public bool IsProjectionResult => _isProjection;

    /// <summary>True for a number that is an integer (see the type remarks); false for floats and non-numbers.</summary>
    public bool IsInteger => _kind == JmesPathValueKind.Number && _isInteger;

    /// <summary>True for null.</summary>
    public bool IsNull => _kind == JmesPathValueKind.Null;

    internal static JmesPathValue Null => default;

    internal static JmesPathValue True => new(JmesPathValueKind.Boolean, Representation.Inline, bits: 1);

    internal static JmesPathValue False => new(JmesPathValueKind.Boolean, Representation.Inline, bits: 0);

    internal static JmesPathValue Boolean(bool value) => value ? True : False;

    internal static JmesPathValue Number(long value) =>
        new(JmesPathValueKind.Number, Representation.Inline, bits: value, isInteger: true);

    internal static JmesPathValue Number(double value) =>
        new(JmesPathValueKind.Number, Representation.Inline, bits: BitConverter.DoubleToInt64Bits(value));

    internal static JmesPathValue String(string value) =>
        new(JmesPathValueKind.String, Representation.Payload, payload: value);

    internal static JmesPathValue Array(List<JmesPathValue> items, bool isProjection = false) =>
        new(JmesPathValueKind.Array, Representation.Payload, payload: items, isProjection: isProjection);

    internal static JmesPathValue Object(ObjectValue members) =>
        new(JmesPathValueKind.Object, Representation.Payload, payload: members);

    internal static JmesPathValue Overlay(OverlayObject overlay) =>
        new(JmesPathValueKind.Object, Representation.Payload, payload: overlay);

    /// <summary>Wraps an element of a JSON document without copying it.</summary>
    /// <param name="element">The element; <see cref="JsonValueKind.Undefined"/> is read as null.</param>
    /// <returns>The value view.</returns>
    public static JmesPathValue FromJsonElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return new(JmesPathValueKind.Object, Representation.Element, element);
            case JsonValueKind.Array:
                return new(JmesPathValueKind.Array, Representation.Element, element);
            case JsonValueKind.String:
                return new(JmesPathValueKind.String, Representation.Element, element);
            case JsonValueKind.Number:
                // TryGetInt64 fails for "1.0" and "1e2" as well as for out-of-range integers,
                // which is exactly the "written as an integer" test.
                if (element.TryGetInt64(out long integer))
                {
                    return new(JmesPathValueKind.Number, Representation.Element, element, bits: integer, isInteger: true);
                }

                return new(JmesPathValueKind.Number, Representation.Element, element, bits: BitConverter.DoubleToInt64Bits(ReadDouble(element)));
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            default:
                return Null;
        }
    }

    /// <summary>Gets the boolean; throws when the value is not a boolean.</summary>
    /// <returns>The boolean.</returns>
    public bool GetBoolean()
    {
        EnsureKind(JmesPathValueKind.Boolean);
        return _bits != 0;
    }

    /// <summary>Reads the number as a double.</summary>
    /// <param name="value">The number, or 0 when the value is not a number.</param>
    /// <returns>True when the value is a number.</returns>
    public bool TryGetDouble(out double value)
    {
        value = _kind == JmesPathValueKind.Number ? Double : 0;
        return _kind == JmesPathValueKind.Number;
    }

    /// <summary>Reads the number as a 64-bit integer; succeeds only for integers (see <see cref="IsInteger"/>).</summary>
    /// <param name="value">The integer, or 0.</param>
    /// <returns>True when the value is an integer number.</returns>
    public bool TryGetInt64(out long value)
    {
        value = IsInteger ? _bits : 0;
        return IsInteger;
    }

    /// <summary>Reads the string.</summary>
    /// <param name="value">The string, or null when the value is not a string.</param>
    /// <returns>True when the value is a string.</returns>
    public bool TryGetString(out string? value)
    {
        if (_kind != JmesPathValueKind.String)
        {
            value = null;
            return false;
        }

        value = GetString();
        return true;
    }

    /// <summary>When the value is a view over the input document, gets that element.</summary>
    /// <param name="element">The element, or default.</param>
    /// <returns>True when the value wraps an element of the input (false for computed values, null and booleans).</returns>
    public bool TryGetJsonElement(out JsonElement element)
    {
        element = _element;
        return _representation == Representation.Element;
    }

    internal double NumberValue
    {
        get
        {
            Debug.Assert(_kind == JmesPathValueKind.Number);
            return Double;
        }
    }

    internal long IntegerValue
    {
        get
        {
            Debug.Assert(IsInteger);
            return _bits;
        }
    }

    internal string GetString()
    {
        EnsureKind(JmesPathValueKind.String);
        return _representation == Representation.Element ? _element.GetString()! : (string)_payload!;
    }

    /// <summary>Returns the same value marked (or unmarked) as a projection result.</summary>
    internal JmesPathValue WithProjection(bool isProjection) =>
        new(_kind, _representation, _element, _payload, _bits, _isInteger, isProjection);

    private double Double => _isInteger ? _bits : BitConverter.Int64BitsToDouble(_bits);

    /// <summary>JMESPath truthiness ("Or Expressions"): false, null, "", [] and {} are false; everything else, 0 included, is true.</summary>
    internal bool IsTruthy()
    {
        switch (_kind)
        {
            case JmesPathValueKind.Null:
                return false;
            case JmesPathValueKind.Boolean:
                return _bits != 0;
            case JmesPathValueKind.Number:
                return true;
            case JmesPathValueKind.String:
                return _representation == Representation.Element
                    ? !_element.ValueEquals(ReadOnlySpan<byte>.Empty)
                    : ((string)_payload!).Length != 0;
            case JmesPathValueKind.Array:
                return GetArrayLength() != 0;
            default:
                return GetPropertyCount() != 0;
        }
    }

    /// <summary>The string when it was computed (not read from a document), so comparing it costs no decoding.</summary>
    internal bool TryGetComputedString([NotNullWhen(true)] out string? value)
    {
        value = _payload as string;
        return value is not null;
    }

    /// <summary>Compares a string value with <paramref name="text"/> without materializing an element's string.</summary>
    internal bool StringEquals(string text)
    {
        Debug.Assert(_kind == JmesPathValueKind.String);
        return _representation == Representation.Element ? _element.ValueEquals(text) : string.Equals((string)_payload!, text, StringComparison.Ordinal);
    }

    private static double ReadDouble(JsonElement element)
    {
        if (element.TryGetDouble(out double value))
        {
            return value;
        }

        // Only numbers beyond the double range reach here (e.g. 1e400); they read as ±Infinity.
        return double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private void EnsureKind(JmesPathValueKind kind)
    {
        if (_kind != kind)
        {
            throw new InvalidOperationException($"The value is a {_kind}, not a {kind}.");
        }
    }
}
