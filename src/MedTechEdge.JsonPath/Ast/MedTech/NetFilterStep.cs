using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET <c>[?(…)]</c> and <c>..[?(…)]</c>.
/// <para>
/// <c>[?(…)]</c> tests the node's children. For arrays these are the items. For objects Json.NET tests its
/// <c>JProperty</c> wrappers, which no member path can match, so object members are never selected here; a
/// filter that would be true for the wrapper itself (<c>?(@)</c>, <c>?(true)</c>, <c>?($.x)</c>) makes Json.NET
/// return the wrapper, which has no JSON counterpart: that is a documented difference (docs/jsonpath.md).
/// </para>
/// <para>
/// <c>..[?(…)]</c> tests the start node itself and then every descendant value, depth-first in document order
/// (Json.NET's <c>DescendantsAndSelf</c>). That is why <c>$..[?(@heartRate)]</c> matches a flat root object.
/// </para>
/// </summary>
internal sealed class NetFilterStep : PathStep
{
    private readonly FilterExpression _filter;
    private readonly bool _scan;

    public NetFilterStep(FilterExpression filter, bool scan)
    {
        _filter = filter;
        _scan = scan;
    }

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (_scan)
        {
            Scan(evaluator, node);
            return;
        }

        if (node.Kind != JsonValueKind.Array)
        {
            return;
        }

        foreach (JsonElement item in node.Value.EnumerateArray())
        {
            var candidate = Node.Of(item);
            if (_filter.Test(evaluator, candidate))
            {
                evaluator.Continue(Next, candidate);
            }
        }
    }

    private void Scan(Evaluator evaluator, in Node node)
    {
        if (_filter.Test(evaluator, node))
        {
            evaluator.Continue(Next, node);
        }

        if (node.Kind == JsonValueKind.Object)
        {
            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNext())
            {
                Scan(evaluator, Node.Of(members.Value));
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                Scan(evaluator, Node.Of(item));
            }
        }
    }
}
