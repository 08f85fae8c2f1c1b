using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>
/// RFC 9535 §2.3.5 filter selector <c>?expr</c>: the children (array elements or object member values) for which
/// the logical expression is true, with <c>@</c> bound to each child in turn.
/// </summary>
internal sealed class FilterSelector : Selector
{
    private readonly FilterExpression _filter;

    public FilterSelector(FilterExpression filter) => _filter = filter;

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        if (node.Kind == JsonValueKind.Object)
        {
            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNext())
            {
                var child = Node.Of(members.Value);
                if (_filter.Test(evaluator, child))
                {
                    evaluator.Continue(next, child);
                }
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                var child = Node.Of(item);
                if (_filter.Test(evaluator, child))
                {
                    evaluator.Continue(next, child);
                }
            }
        }
    }
}
