using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>An RFC 9535 ValueType expression (§2.4.1): a literal, a singular query, or a ValueType function.</summary>
internal abstract class Comparable
{
    public abstract FilterValue Evaluate(Evaluator evaluator, in Node current);
}

/// <summary>A literal, parsed into a JsonElement once at parse time.</summary>
internal sealed class LiteralComparable : Comparable
{
    private readonly FilterValue _value;

    public LiteralComparable(JsonElement value) => _value = FilterValue.Of(value);

    public FilterValue Value => _value;

    public override FilterValue Evaluate(Evaluator evaluator, in Node current) => _value;
}

/// <summary>A singular query (§2.3.5.1): its single node's value, or Nothing when it selects no node.</summary>
internal sealed class QueryComparable : Comparable
{
    public QueryComparable(Query query) => Query = query;

    public Query Query { get; }

    public override FilterValue Evaluate(Evaluator evaluator, in Node current)
    {
        List<Node> nodes = evaluator.SelectNodes(Query, current);
        FilterValue value = nodes.Count == 1 ? FilterValue.Of(nodes[0].Value) : FilterValue.Nothing;
        evaluator.ReleaseNodes(nodes);
        return value;
    }
}
