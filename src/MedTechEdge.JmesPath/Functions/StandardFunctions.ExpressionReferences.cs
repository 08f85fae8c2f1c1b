namespace MedTechEdge.JmesPath.Functions;

/// <summary>map, max_by, min_by, sort_by: the functions that take an expression reference.</summary>
internal static partial class StandardFunctions
{
    /// <summary>Specification, map: applies the expression to every item; unlike a projection, null results are kept.</summary>
    private static JmesPathValue Map(scoped in FunctionArguments arguments)
    {
        JmesPathValue array = arguments[1];
        var results = new List<JmesPathValue>(array.GetArrayLength());
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            results.Add(arguments.Apply(0, item));
        }

        return JmesPathValue.Array(results);
    }

    private static JmesPathValue MaxBy(scoped in FunctionArguments arguments) => ExtremeBy(arguments, "max_by", sign: 1);

    private static JmesPathValue MinBy(scoped in FunctionArguments arguments) => ExtremeBy(arguments, "min_by", sign: -1);

    private static JmesPathValue ExtremeBy(scoped in FunctionArguments arguments, string name, int sign)
    {
        bool found = false;
        JmesPathValue best = default;
        JmesPathValue bestKey = default;
        foreach (JmesPathValue item in arguments[0].EnumerateArray())
        {
            JmesPathValue key = arguments.Apply(1, item);
            CheckSortKey(name, key, found ? bestKey.Kind : key.Kind);
            if (!found || (sign * Interpretation.ValueComparer.CompareSortable(key, bestKey)) > 0)
            {
                best = item;
                bestKey = key;
                found = true;
            }
        }

        return best;
    }

    /// <summary>Specification, sort_by: the expression must give all numbers or all strings, else invalid-type.</summary>
    private static JmesPathValue SortBy(scoped in FunctionArguments arguments)
    {
        JmesPathValue array = arguments[0];
        int count = array.GetArrayLength();
        var items = new JmesPathValue[count];
        var keys = new JmesPathValue[count];
        int i = 0;
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            items[i] = item;
            keys[i] = arguments.Apply(1, item);
            CheckSortKey("sort_by", keys[i], keys[0].Kind);
            i++;
        }

        return JmesPathValue.Array(StableSort(items, keys));
    }

    private static void CheckSortKey(string function, in JmesPathValue key, JmesPathValueKind expected)
    {
        if (key.Kind is not (JmesPathValueKind.Number or JmesPathValueKind.String) || key.Kind != expected)
        {
            ThrowHelper.ThrowInvalidType(function, 1, "expref returning number, expref returning string (all of one type)");
        }
    }
}
