using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>Json.NET <c>['a','b']</c>: for an object, each listed member that exists, in the order listed.</summary>
internal sealed class NetFieldsStep : PathStep
{
    private readonly string[] _names;

    public NetFieldsStep(string[] names) => _names = names;

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            return;
        }

        foreach (string name in _names)
        {
            if (evaluator.TryGetMember(node, name, out JsonElement value))
            {
                evaluator.Continue(Next, Node.Of(value));
            }
        }
    }
}
