using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET <c>.name</c> and <c>['name']</c>: the member's value when the node is an object. With no name it is
/// <c>.*</c>, which in Json.NET enumerates object values only (arrays yield nothing, unlike RFC 9535).
/// </summary>
internal sealed class NetFieldStep : PathStep
{
    private readonly string? _name;

    // Encoded once at parse time: JsonElement's string lookup transcodes the name on every call.
    private readonly byte[]? _utf8Name;

    public NetFieldStep(string? name)
    {
        _name = name;
        _utf8Name = name is null ? null : Encoding.UTF8.GetBytes(name);
    }

    /// <summary>The member name, or null for <c>.*</c>.</summary>
    public string? Name => _name;

    public ReadOnlySpan<byte> Utf8Name => _utf8Name;

    public override bool IsSingular => _name is not null;

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            return;
        }

        if (_name is not null)
        {
            if (evaluator.TryGetMember(node, _name, _utf8Name, out JsonElement value))
            {
                evaluator.Continue(Next, Node.Of(value));
            }

            return;
        }

        MemberEnumerator members = evaluator.EnumerateMembers(node);
        while (members.MoveNext())
        {
            evaluator.Continue(Next, Node.Of(members.Value));
        }
    }
}
