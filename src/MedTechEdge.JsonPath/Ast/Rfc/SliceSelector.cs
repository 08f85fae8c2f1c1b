using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.4 array slice <c>start:end:step</c>.</summary>
internal sealed class SliceSelector : Selector
{
    private readonly long? _start;
    private readonly long? _end;
    private readonly long _step;

    public SliceSelector(long? start, long? end, long? step)
    {
        _start = start;
        _end = end;
        _step = step ?? 1;
    }

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        // §2.3.4.2.2: step 0 selects nothing.
        if (node.Kind != JsonValueKind.Array || _step == 0)
        {
            return;
        }

        long length = node.Value.GetArrayLength();

        // §2.3.4.2.2 defaults and Normalize(i, len) = i >= 0 ? i : len + i, then the Bounds clamping.
        long start = Normalize(_start ?? (_step > 0 ? 0 : length - 1), length);
        long end = Normalize(_end ?? (_step > 0 ? length : -length - 1), length);
        if (_step > 0)
        {
            long lower = Math.Min(Math.Max(start, 0), length);
            long upper = Math.Min(Math.Max(end, 0), length);
            for (long i = lower; i < upper; i += _step)
            {
                evaluator.Continue(next, Node.Of(node.Value[(int)i]));
            }
        }
        else
        {
            long upper = Math.Min(Math.Max(start, -1), length - 1);
            long lower = Math.Min(Math.Max(end, -1), length - 1);
            for (long i = upper; lower < i; i += _step)
            {
                evaluator.Continue(next, Node.Of(node.Value[(int)i]));
            }
        }
    }

    private static long Normalize(long index, long length) => index >= 0 ? index : length + index;
}
