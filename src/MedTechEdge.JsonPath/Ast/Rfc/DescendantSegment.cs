using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>
/// RFC 9535 §2.5.2 descendant segment <c>..[…]</c>: the child segment applied to the input node and to each of
/// its descendants. §2.5.2.2 only requires that array members come in array order and that a node comes before
/// its descendants; this walk is depth-first pre-order, member values in document order.
/// </summary>
internal sealed class DescendantSegment : PathStep
{
    private readonly Selector[] _selectors;

    public DescendantSegment(Selector[] selectors) => _selectors = selectors;

    public override void Apply(Evaluator evaluator, in Node node)
    {
        foreach (Selector selector in _selectors)
        {
            selector.Select(evaluator, node, Next);
        }

        if (node.Kind == JsonValueKind.Object)
        {
            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNext())
            {
                Apply(evaluator, Node.Of(members.Value));
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                Apply(evaluator, Node.Of(item));
            }
        }
    }
}
