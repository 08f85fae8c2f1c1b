using System.Runtime.InteropServices;
using System.Text;
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

    // The required names as UTF-8, when every one of them is spelled the same in any JSON text that holds it
    // (no character JSON may escape); null otherwise.
    private readonly byte[][]? _plainRequired;
    private readonly byte[][]? _quotedRequired;

    public NetFilterStep(FilterExpression filter, bool scan)
    {
        _filter = filter;
        _scan = scan;
        _required = filter.RequiredMemberNames;
        if (_required is not null && Array.TrueForAll(_required, RawText.IsPlainName))
        {
            _plainRequired = Array.ConvertAll(_required, Encoding.UTF8.GetBytes);
            _quotedRequired = Array.ConvertAll(_required, n => Encoding.UTF8.GetBytes("\"" + n + "\""));
        }
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
        JsonValueKind kind = node.Kind;
        bool plainContainer = _plainRequired is not null && kind is JsonValueKind.Object or JsonValueKind.Array
            && !node.IsVirtual && !node.IsExtendedRoot;
        ReadOnlySpan<byte> raw = plainContainer ? JsonMarshal.GetRawUtf8Value(node.Value) : default;
        if (plainContainer && !RawText.MayHoldAny(raw, _plainRequired!))
        {
            // No required name in the container's text, so neither it nor anything below it can match.
            return;
        }

        // A filter that needs a member can only hold for an object.
        if ((_required is null || kind == JsonValueKind.Object) && _filter.Test(evaluator, node))
        {
            evaluator.Continue(Next, node);
        }

        if (kind == JsonValueKind.Object)
        {
            if (plainContainer && (!RawText.MayHaveContainerChildren(raw) || !DescendantsMayHold(node.Value, raw)))
            {
                // Only objects with a required member can match, and none is below this one.
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
        else if (kind == JsonValueKind.Array)
        {
            if (plainContainer && !RawText.MayHaveContainerChildren(raw))
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
    /// False when the object's text names each required member no more often than the object itself has it, so
    /// no descendant has one.
    /// </summary>
    private bool DescendantsMayHold(JsonElement node, ReadOnlySpan<byte> raw)
    {
        for (int i = 0; i < _quotedRequired!.Length; i++)
        {
            int count = RawText.CountMembers(raw, _quotedRequired[i]);
            if (count < 0 || count > (node.TryGetProperty(_plainRequired![i], out _) ? 1 : 0))
            {
                return true;
            }
        }

        return false;
    }
}
