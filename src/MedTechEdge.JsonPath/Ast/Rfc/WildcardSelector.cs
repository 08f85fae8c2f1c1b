using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.2 wildcard: every member value of an object, every element of an array.</summary>
internal sealed class WildcardSelector : Selector
{
    public static readonly WildcardSelector Instance = new();

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        if (node.Kind == JsonValueKind.Object)
        {
            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNext())
            {
                evaluator.Continue(next, Node.Of(members.Value));
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                evaluator.Continue(next, Node.Of(item));
            }
        }
    }
}
