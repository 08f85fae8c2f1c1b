using System.Text.Json;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>What a single-value expression yielded: nothing, or one JSON value.</summary>
internal readonly struct ExpressionValue
{
    private ExpressionValue(bool found, JsonElement element)
    {
        Found = found;
        Element = element;
    }

    public static ExpressionValue Missing => default;

    /// <summary>False when the expression matched no node (medtech-compat §3.8 "nothing matched").</summary>
    public bool Found { get; }

    public JsonElement Element { get; }

    public static ExpressionValue Of(JsonElement element) => new(true, element);
}
