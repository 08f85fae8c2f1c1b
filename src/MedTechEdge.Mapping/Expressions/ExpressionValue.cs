using System.Text.Json;
using MedTechEdge.JmesPath;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// What a single-value expression yielded: nothing, a node of the document, or (JMESPath only) a
/// value computed by a function such as <c>multiply</c>.
/// </summary>
internal readonly struct ExpressionValue
{
    // A computed value is boxed: it is rare (JMESPath functions only), and keeping the struct small keeps the
    // copies on the per-message path cheap.
    private readonly object? _computed;

    private ExpressionValue(bool found, JsonElement element, object? computed)
    {
        Found = found;
        Element = element;
        _computed = computed;
    }

    public static ExpressionValue Missing => default;

    /// <summary>False when the expression matched no node (medtech-semantics §2.2 "nothing matched").</summary>
    public bool Found { get; }

    /// <summary>The node, when <see cref="IsComputed"/> is false.</summary>
    public JsonElement Element { get; }

    /// <summary>The computed value, when <see cref="IsComputed"/> is true.</summary>
    public JmesPathValue Computed => _computed is JmesPathValue value ? value : default;

    public bool IsComputed => _computed is not null;

    public static ExpressionValue Of(JsonElement element) => new(true, element, null);

    public static ExpressionValue Of(JmesPathValue value) =>
        value.TryGetJsonElement(out JsonElement element) ? Of(element) : new(true, default, value);
}
