using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.1 name selector: the member's value when the node is an object that has it.</summary>
internal sealed class NameSelector : Selector
{
    private readonly string _name;

    public NameSelector(string name) => _name = name;

    public override bool IsSingular => true;

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        if (node.Kind == JsonValueKind.Object && evaluator.TryGetMember(node, _name, out JsonElement value))
        {
            evaluator.Continue(next, Node.Of(value));
        }
    }
}
