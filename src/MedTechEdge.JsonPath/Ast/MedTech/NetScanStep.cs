using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET <c>..name</c>, <c>..['a','b']</c> and <c>..*</c>. The walk is depth-first pre-order over the
/// descendants (not the start node): a member's value is yielded when its member is reached, before the walk
/// enters that value. Several names are checked per member, so results come in document order, not per name.
/// <c>..*</c> yields the start node itself first, then every descendant value.
/// </summary>
internal sealed class NetScanStep : PathStep
{
    private readonly string[]? _names;
    private readonly byte[][]? _utf8Names;

    /// <param name="names">The names to collect, or null for <c>..*</c>.</param>
    public NetScanStep(string[]? names)
    {
        _names = names;
        _utf8Names = names is null ? null : Array.ConvertAll(names, Encoding.UTF8.GetBytes);
    }

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (_names is null)
        {
            evaluator.Continue(Next, node);
        }

        Walk(evaluator, node);
    }

    private void Walk(Evaluator evaluator, in Node node)
    {
        if (node.Kind == JsonValueKind.Object)
        {
            MemberEnumerator members = evaluator.EnumerateMembers(node);
            while (members.MoveNextLazy())
            {
                if (_names is null)
                {
                    members.LoadValue();
                    var any = Node.Of(members.Value);
                    evaluator.Continue(Next, any);
                    Walk(evaluator, any);
                    continue;
                }

                int matching = 0;
                for (int i = 0; i < _names.Length; i++)
                {
                    if (members.NameEquals(_names[i], _utf8Names![i]))
                    {
                        matching++;
                    }
                }

                // A virtual root's member that cannot hold any of the names is neither read nor entered.
                bool enter = members.MayContainAny(_names);
                if (matching == 0 && !enter)
                {
                    continue;
                }

                members.LoadValue();
                var child = Node.Of(members.Value);
                for (int i = 0; i < matching; i++)
                {
                    evaluator.Continue(Next, child);
                }

                if (enter)
                {
                    Walk(evaluator, child);
                }
            }
        }
        else if (node.Kind == JsonValueKind.Array)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                var child = Node.Of(item);
                if (_names is null)
                {
                    evaluator.Continue(Next, child);
                }

                Walk(evaluator, child);
            }
        }
    }
}
