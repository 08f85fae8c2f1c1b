using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.3 index selector; a negative index counts from the end (§2.3.3.2).</summary>
internal sealed class IndexSelector : Selector
{
    private readonly long _index;

    public IndexSelector(long index) => _index = index;

    public override bool IsSingular => true;

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        if (node.Kind != JsonValueKind.Array)
        {
            return;
        }

        int length = node.Value.GetArrayLength();
        long index = _index >= 0 ? _index : length + _index;
        if (index >= 0 && index < length)
        {
            evaluator.Continue(next, Node.Of(node.Value[(int)index]));
        }
    }
}
