using System.Text.Json;
using MedTechEdge.JmesPath;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// What a single-value expression yielded: nothing, a node of the document, or (JMESPath only) a
/// value computed by a function such as <c>multiply</c>.
/// </summary>
internal readonly struct ExpressionValue
{
    private ExpressionValue(bool found, JsonElement element, JmesPathValue computed, bool isComputed)
    {
        Found = found;
        Element = element;
        Computed = computed;
        IsComputed = isComputed;
    }

    public static ExpressionValue Missing => default;

    /// <summary>False when the expression matched no node (medtech-compat §3.8 "nothing matched").</summary>
    public bool Found { get; }

    /// <summary>The node, when <see cref="IsComputed"/> is false.</summary>
    public JsonElement Element { get; }

    /// <summary>The computed value, when <see cref="IsComputed"/> is true.</summary>
    public JmesPathValue Computed { get; }

    public bool IsComputed { get; }

    public static ExpressionValue Of(JsonElement element) => new(true, element, default, false);

    public static ExpressionValue Of(JmesPathValue value) =>
        value.TryGetJsonElement(out JsonElement element) ? Of(element) : new(true, default, value, true);
}
