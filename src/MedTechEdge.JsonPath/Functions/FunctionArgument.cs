using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.Rfc;

namespace MedTechEdge.JsonPath.Functions;

/// <summary>A type-checked argument: a ValueType expression, or a query passed as NodesType.</summary>
internal sealed class FunctionArgument
{
    private FunctionArgument(Comparable? value, Query? nodes)
    {
        Value = value;
        Nodes = nodes;
    }

    public Comparable? Value { get; }

    public Query? Nodes { get; }

    public static FunctionArgument OfValue(Comparable value) => new(value, null);

    public static FunctionArgument OfNodes(Query nodes) => new(null, nodes);
}
