using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>Json.NET <c>['a','b']</c>: for an object, each listed member that exists, in the order listed.</summary>
internal sealed class NetFieldsStep : PathStep
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;

    public NetFieldsStep(string[] names)
    {
        _names = names;
        _utf8Names = Array.ConvertAll(names, Encoding.UTF8.GetBytes);
    }

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            return;
        }

        for (int i = 0; i < _names.Length; i++)
        {
            if (evaluator.TryGetMember(node, _names[i], _utf8Names[i], out JsonElement value))
            {
                evaluator.Continue(Next, Node.Of(value));
            }
        }
    }
}
