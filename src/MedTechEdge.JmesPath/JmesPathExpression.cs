using System.Text.Json;
using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Interpretation;
using MedTechEdge.JmesPath.Parsing;
using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath;

/// <summary>
/// A parsed JMESPath expression (jmespath.org specification). Parse once, when the template loads; evaluate many
/// times. Instances are immutable and safe to share between threads.
/// </summary>
/// <example>
/// <code>
/// var expression = JmesPathExpression.Parse("Body[?heartRate].heartRate", JmesPathFunctionSet.MedTech);
/// JmesPathValue result = expression.Evaluate(document.RootElement);
/// </code>
/// </example>
public sealed class JmesPathExpression
{
    private readonly Node _root;

    private JmesPathExpression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression text as given to <see cref="Parse"/>.</summary>
    public string Text { get; }

    /// <summary>
    /// True when the top-level expression is a projection (<c>[*]</c>, <c>*</c>, <c>[]</c>, a filter, a slice,
    /// or a pipe into <c>@</c> after one). MedTech's type match then yields one match per projected item;
    /// otherwise the whole result is one match (medtech-semantics §2.3).
    /// </summary>
    public bool IsProjection => _root.IsProjection;

    /// <summary>Parses an expression.</summary>
    /// <param name="expression">The JMESPath text.</param>
    /// <param name="functions">The callable functions; <see cref="JmesPathFunctionSet.Standard"/> when null.</param>
    /// <returns>The parsed expression.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    /// <exception cref="JmesPathException">
    /// A syntax error, an unknown function or a wrong argument count (with <see cref="JmesPathException.Position"/>),
    /// or a slice step of 0 (<see cref="JmesPathErrorKind.InvalidValue"/>).
    /// </exception>
    public static JmesPathExpression Parse(string expression, JmesPathFunctionSet? functions = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new JmesPathExpression(expression, Parser.Parse(expression, functions ?? JmesPathFunctionSet.Standard));
    }

    /// <summary>Evaluates the expression against a JSON value.</summary>
    /// <param name="root">The input; it is read in place, never copied. Its document must outlive the result.</param>
    /// <returns>The result; <see cref="JmesPathValue.IsNull"/> when nothing matched.</returns>
    /// <exception cref="JmesPathException">A function argument of the wrong type, or a failing MedTech function.</exception>
    public JmesPathValue Evaluate(JsonElement root) => Interpreter.Evaluate(_root, JmesPathValue.FromJsonElement(root));

    /// <summary>
    /// Evaluates the expression against <paramref name="root"/> seen as if it had one more top-level member,
    /// <paramref name="extraMemberName"/> = <paramref name="extraMemberValue"/> (replacing a member of that name).
    /// This is MedTech's <c>matchedToken</c> (medtech-semantics §2.3), without copying the document.
    /// </summary>
    /// <param name="root">The input object.</param>
    /// <param name="extraMemberName">The name of the added member, e.g. <c>matchedToken</c>.</param>
    /// <param name="extraMemberValue">The value of the added member.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not a JSON object.</exception>
    /// <exception cref="JmesPathException">A function argument of the wrong type, or a failing MedTech function.</exception>
    public JmesPathValue Evaluate(JsonElement root, string extraMemberName, JsonElement extraMemberValue) =>
        Evaluate(root, extraMemberName, JmesPathValue.FromJsonElement(extraMemberValue));

    /// <summary>
    /// As <see cref="Evaluate(JsonElement, string, JsonElement)"/>, with the extra member given as a value (for
    /// example one item of a previous JMESPath projection).
    /// </summary>
    /// <param name="root">The input object.</param>
    /// <param name="extraMemberName">The name of the added member.</param>
    /// <param name="extraMemberValue">The value of the added member.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not a JSON object.</exception>
    /// <exception cref="JmesPathException">A function argument of the wrong type, or a failing MedTech function.</exception>
    public JmesPathValue Evaluate(JsonElement root, string extraMemberName, JmesPathValue extraMemberValue)
    {
        ArgumentNullException.ThrowIfNull(extraMemberName);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The root must be a JSON object to receive an extra member.", nameof(root));
        }

        var overlay = new OverlayObject(root, extraMemberName, extraMemberValue.WithProjection(false));
        return Interpreter.Evaluate(_root, JmesPathValue.Overlay(overlay));
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The expression text.</returns>
    public override string ToString() => Text;
}
