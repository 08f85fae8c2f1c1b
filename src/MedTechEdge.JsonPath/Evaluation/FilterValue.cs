using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// An RFC 9535 ValueType value (§2.4.1): a JSON value or the special result Nothing. Values computed by a
/// function (length, count) are plain numbers so that they need no JSON document.
/// </summary>
internal readonly struct FilterValue
{
    private FilterValue(FilterValueKind kind, JsonElement element, double number)
    {
        Kind = kind;
        Element = element;
        Number = number;
    }

    public FilterValueKind Kind { get; }

    public JsonElement Element { get; }

    public double Number { get; }

    public static FilterValue Nothing => default;

    public bool IsNothing => Kind == FilterValueKind.Nothing;

    public static FilterValue Of(JsonElement element) => new(FilterValueKind.Element, element, 0);

    public static FilterValue OfNumber(double number) => new(FilterValueKind.Number, default, number);

    public bool IsNumber => Kind == FilterValueKind.Number || (Kind == FilterValueKind.Element && Element.ValueKind == JsonValueKind.Number);

    public bool IsString => Kind == FilterValueKind.Element && Element.ValueKind == JsonValueKind.String;
}

internal enum FilterValueKind
{
    Nothing,
    Element,
    Number,
}
