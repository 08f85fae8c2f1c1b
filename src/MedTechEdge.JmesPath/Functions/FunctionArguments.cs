using System.Diagnostics;
using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Interpretation;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>
/// The arguments of one call, already evaluated and type-checked. Expression-reference arguments are not
/// evaluated; <see cref="Apply"/> evaluates them against a value on demand.
/// </summary>
internal readonly ref struct FunctionArguments
{
    private readonly ReadOnlySpan<JmesPathValue> _values;
    private readonly Node[] _nodes;

    public FunctionArguments(ReadOnlySpan<JmesPathValue> values, Node[] nodes)
    {
        Debug.Assert(values.Length == nodes.Length);
        _values = values;
        _nodes = nodes;
    }

    public int Count => _values.Length;

    public JmesPathValue this[int index] => _values[index];

    /// <summary>Evaluates the expression reference passed as argument <paramref name="index"/> against <paramref name="current"/>.</summary>
    public JmesPathValue Apply(int index, in JmesPathValue current)
    {
        var reference = (ExpressionReferenceNode)_nodes[index];
        return Interpreter.Evaluate(reference.Expression, current);
    }
}
