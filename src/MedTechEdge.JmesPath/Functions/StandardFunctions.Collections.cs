using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>keys, values, merge, not_null, sort, to_array.</summary>
internal static partial class StandardFunctions
{
    private static JmesPathValue Keys(scoped in FunctionArguments arguments)
    {
        var keys = new List<JmesPathValue>();
        foreach (KeyValuePair<string, JmesPathValue> member in arguments[0].EnumerateObject())
        {
            keys.Add(JmesPathValue.String(member.Key));
        }

        return JmesPathValue.Array(keys);
    }

    private static JmesPathValue Values(scoped in FunctionArguments arguments)
    {
        var values = new List<JmesPathValue>();
        foreach (KeyValuePair<string, JmesPathValue> member in arguments[0].EnumerateObject())
        {
            values.Add(member.Value);
        }

        return JmesPathValue.Array(values);
    }

    /// <summary>Specification, merge: later objects override earlier ones member by member.</summary>
    private static JmesPathValue Merge(scoped in FunctionArguments arguments)
    {
        var merged = new ObjectValue();
        for (int i = 0; i < arguments.Count; i++)
        {
            foreach (KeyValuePair<string, JmesPathValue> member in arguments[i].EnumerateObject())
            {
                merged.Set(member.Key, member.Value);
            }
        }

        return JmesPathValue.Object(merged);
    }

    /// <summary>Specification, not_null: the first argument that is not null, else null.</summary>
    private static JmesPathValue NotNull(scoped in FunctionArguments arguments)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            if (!arguments[i].IsNull)
            {
                return arguments[i];
            }
        }

        return JmesPathValue.Null;
    }

    private static JmesPathValue Sort(scoped in FunctionArguments arguments)
    {
        JmesPathValue array = arguments[0];
        int count = array.GetArrayLength();
        var items = new JmesPathValue[count];
        int i = 0;
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            items[i++] = item;
        }

        return JmesPathValue.Array(StableSort(items, (JmesPathValue[])items.Clone()));
    }

    /// <summary>Specification, to_array: an array stays as it is; anything else becomes a one-item array.</summary>
    private static JmesPathValue ToArray(scoped in FunctionArguments arguments)
    {
        JmesPathValue value = arguments[0];
        return value.Kind == JmesPathValueKind.Array ? value.WithProjection(false) : JmesPathValue.Array([value]);
    }

    /// <summary>
    /// Sorts <paramref name="items"/> by <paramref name="keys"/> (numbers or strings, one kind), keeping the input
    /// order of equal keys: the specification leaves stability open, the reference implementation is stable.
    /// </summary>
    private static List<JmesPathValue> StableSort(JmesPathValue[] items, JmesPathValue[] keys)
    {
        int[] order = new int[items.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            int comparison = Interpretation.ValueComparer.CompareSortable(keys[x], keys[y]);
            return comparison != 0 ? comparison : x.CompareTo(y);
        });

        var sorted = new List<JmesPathValue>(items.Length);
        foreach (int index in order)
        {
            sorted.Add(items[index]);
        }

        return sorted;
    }
}
