using MedTechEdge.JmesPath.Ast;

namespace MedTechEdge.JmesPath.Interpretation;

/// <summary>Projections, flatten and slices (specification, "Projections", "Flatten Operator", "Slices").</summary>
internal static partial class Interpreter
{
    /// <summary>Left must be an array, else null. Right runs on each item; null results are not collected.</summary>
    private static JmesPathValue EvaluateListProjection(ListProjectionNode node, in JmesPathValue current)
    {
        JmesPathValue left = Evaluate(node.Left, current);
        if (left.Kind != JmesPathValueKind.Array)
        {
            return JmesPathValue.Null;
        }

        bool identity = node.Right.Kind == NodeKind.Current;
        var results = new List<JmesPathValue>(left.GetArrayLength());
        foreach (JmesPathValue item in left.EnumerateArray())
        {
            JmesPathValue projected = identity ? item : Evaluate(node.Right, item);
            if (!projected.IsNull)
            {
                results.Add(projected);
            }
        }

        return JmesPathValue.Array(results, isProjection: true);
    }

    /// <summary>Left must be an object, else null. Right runs on each member value; null results are not collected.</summary>
    private static JmesPathValue EvaluateValueProjection(ValueProjectionNode node, in JmesPathValue current)
    {
        JmesPathValue left = Evaluate(node.Left, current);
        if (left.Kind != JmesPathValueKind.Object)
        {
            return JmesPathValue.Null;
        }

        bool identity = node.Right.Kind == NodeKind.Current;
        var results = new List<JmesPathValue>();
        foreach (KeyValuePair<string, JmesPathValue> member in left.EnumerateObject())
        {
            JmesPathValue projected = identity ? member.Value : Evaluate(node.Right, member.Value);
            if (!projected.IsNull)
            {
                results.Add(projected);
            }
        }

        return JmesPathValue.Array(results, isProjection: true);
    }

    /// <summary>Left must be an array, else null. Items that are arrays are spliced in; others are kept as they are.</summary>
    private static JmesPathValue EvaluateFlatten(FlattenNode node, in JmesPathValue current)
    {
        JmesPathValue left = Evaluate(node.Left, current);
        if (left.Kind != JmesPathValueKind.Array)
        {
            return JmesPathValue.Null;
        }

        var results = new List<JmesPathValue>();
        foreach (JmesPathValue item in left.EnumerateArray())
        {
            if (item.Kind == JmesPathValueKind.Array)
            {
                foreach (JmesPathValue inner in item.EnumerateArray())
                {
                    results.Add(inner);
                }
            }
            else
            {
                results.Add(item);
            }
        }

        return JmesPathValue.Array(results);
    }

    /// <summary>Left must be an array, else null. Keeps the items whose condition is truthy, then projects them.</summary>
    private static JmesPathValue EvaluateFilterProjection(FilterProjectionNode node, in JmesPathValue current)
    {
        JmesPathValue left = Evaluate(node.Left, current);
        if (left.Kind != JmesPathValueKind.Array)
        {
            return JmesPathValue.Null;
        }

        bool identity = node.Right.Kind == NodeKind.Current;
        var results = new List<JmesPathValue>(left.GetArrayLength());
        foreach (JmesPathValue item in left.EnumerateArray())
        {
            if (!Evaluate(node.Condition, item).IsTruthy())
            {
                continue;
            }

            JmesPathValue projected = identity ? item : Evaluate(node.Right, item);
            if (!projected.IsNull)
            {
                results.Add(projected);
            }
        }

        return JmesPathValue.Array(results, isProjection: true);
    }

    /// <summary>
    /// Python-style slicing: a missing step is 1; missing bounds default to the ends in the step's direction;
    /// negative bounds count from the end and are clamped. Example: <c>[::-1]</c> on [0,1,2] is [2,1,0].
    /// </summary>
    private static JmesPathValue EvaluateSlice(SliceNode node, in JmesPathValue current)
    {
        if (current.Kind != JmesPathValueKind.Array)
        {
            return JmesPathValue.Null;
        }

        int length = current.GetArrayLength();
        int step = node.Step ?? 1;
        int start = node.Start is int s ? ClampBound(s, length, step) : (step < 0 ? length - 1 : 0);
        int stop = node.Stop is int e ? ClampBound(e, length, step) : (step < 0 ? -1 : length);

        var results = new List<JmesPathValue>();
        if (step > 0)
        {
            for (int i = start; i < stop; i += step)
            {
                results.Add(current.GetArrayItem(i));
            }
        }
        else
        {
            for (int i = start; i > stop; i += step)
            {
                results.Add(current.GetArrayItem(i));
            }
        }

        return JmesPathValue.Array(results);
    }

    /// <summary>Specification, "Slices": negative bounds add the length, then clamp to [0, length] (or [-1, length - 1] when stepping backwards).</summary>
    private static int ClampBound(int bound, int length, int step)
    {
        if (bound < 0)
        {
            bound += length;
            if (bound < 0)
            {
                bound = step < 0 ? -1 : 0;
            }
        }
        else if (bound >= length)
        {
            bound = step < 0 ? length - 1 : length;
        }

        return bound;
    }
}
