using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.MedTech;

/// <summary>
/// Json.NET <c>[start:end:step]</c>: Python-style, negative bounds count from the end, then clamped. The clamping
/// differs slightly from RFC 9535 §2.3.4.2.2 for negative steps (the start is clamped to Count-1 but not from
/// below), which is reproduced here. Step 0 never reaches this class: the parser rejects it.
/// </summary>
internal sealed class NetSliceStep : PathStep
{
    private readonly int? _start;
    private readonly int? _end;
    private readonly int _step;

    public NetSliceStep(int? start, int? end, int? step)
    {
        _start = start;
        _end = end;
        _step = step ?? 1;
    }

    public override void Apply(Evaluator evaluator, in Node node)
    {
        if (node.Kind != JsonValueKind.Array)
        {
            return;
        }

        int count = node.Value.GetArrayLength();
        bool forward = _step > 0;
        long start = _start ?? (forward ? 0 : count - 1);
        long stop = _end ?? (forward ? count : -1);
        if (_start < 0)
        {
            start += count;
        }

        if (_end < 0)
        {
            stop += count;
        }

        start = forward ? Math.Clamp(start, 0, count) : Math.Min(start, count - 1);
        stop = Math.Clamp(stop, -1, count);
        for (long i = start; forward ? i < stop : i > stop; i += _step)
        {
            evaluator.Continue(Next, Node.Of(node.Value[(int)i]));
        }
    }
}
