using System.Runtime.InteropServices;
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
    private readonly string[]? _required;

    public NetFilterStep(FilterExpression filter, bool scan)
    {
        _filter = filter;
        _scan = scan;
        _required = filter.RequiredMemberNames;
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
        // A filter that needs a member can only hold for an object.
        if ((_required is null || node.Kind == JsonValueKind.Object) && _filter.Test(evaluator, node))
        {
            evaluator.Continue(Next, node);
        }

        if (node.Kind == JsonValueKind.Object)
        {
            if (_required is not null && !node.IsVirtual && !node.IsExtendedRoot && !MayHaveContainerChildren(node.Value))
            {
                // Only objects can match, and this one has none below it: enumerating its members would find nothing.
                return;
            }

            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNextLazy())
            {
                // A virtual root's member that cannot hold a required name is neither read nor entered.
                if (_required is not null && !members.MayContainAny(_required))
                {
                    continue;
                }

                members.LoadValue();
                Scan(evaluator, Node.Of(members.Value));
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            if (_required is not null && !MayHaveContainerChildren(node.Value))
            {
                return;
            }

            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                Scan(evaluator, Node.Of(item));
            }
        }
    }

    /// <summary>
    /// False when the container's text has no <c>{</c> or <c>[</c> after its own opening bracket, so none of its
    /// values is a container. A bracket inside a string makes this answer true, which is only slower.
    /// </summary>
    private static bool MayHaveContainerChildren(JsonElement container)
        => JsonMarshal.GetRawUtf8Value(container)[1..].IndexOfAny((byte)'{', (byte)'[') >= 0;
}
