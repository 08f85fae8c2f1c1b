using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET <c>[n]</c>, <c>[n,m]</c> and <c>[*]</c> on arrays. <c>[*]</c> enumerates array items only (objects
/// yield nothing). Indices are never negative here: the parser rejects them (Json.NET throws
/// ArgumentOutOfRangeException when it meets an array).
/// </summary>
internal sealed class NetIndexStep : PathStep
{
    private readonly int[]? _indices;

    /// <param name="indices">The indices in the order written, or null for <c>[*]</c>.</param>
    public NetIndexStep(int[]? indices) => _indices = indices;

    public override bool IsSingular => _indices is { Length: 1 };

    /// <summary>The index when <see cref="IsSingular"/>.</summary>
    public int SingleIndex => _indices![0];

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (node.Kind != JsonValueKind.Array)
        {
            return;
        }

        if (_indices is null)
        {
            foreach (JsonElement item in node.Value.EnumerateArray())
            {
                evaluator.Continue(Next, Node.Of(item));
            }

            return;
        }

        int length = node.Value.GetArrayLength();
        foreach (int index in _indices)
        {
            if (index < length)
            {
                evaluator.Continue(Next, Node.Of(node.Value[index]));
            }
        }
    }
}
