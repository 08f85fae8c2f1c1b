namespace MedTechEdge.JmesPath.Functions;

/// <summary>abs, avg, ceil, floor, max, min, sum.</summary>
internal static partial class StandardFunctions
{
    private static JmesPathValue Abs(scoped in FunctionArguments arguments)
    {
        JmesPathValue value = arguments[0];
        if (value.IsInteger && value.IntegerValue != long.MinValue)
        {
            return JmesPathValue.Number(Math.Abs(value.IntegerValue));
        }

        return JmesPathValue.Number(Math.Abs(value.NumberValue));
    }

    /// <summary>Specification, avg: null for an empty array.</summary>
    private static JmesPathValue Avg(scoped in FunctionArguments arguments)
    {
        JmesPathValue array = arguments[0];
        int count = 0;
        double total = 0;
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            total += item.NumberValue;
            count++;
        }

        return count == 0 ? JmesPathValue.Null : JmesPathValue.Number(total / count);
    }

    private static JmesPathValue Ceil(scoped in FunctionArguments arguments) =>
        arguments[0].IsInteger ? arguments[0] : WholeNumber(Math.Ceiling(arguments[0].NumberValue));

    private static JmesPathValue Floor(scoped in FunctionArguments arguments) =>
        arguments[0].IsInteger ? arguments[0] : WholeNumber(Math.Floor(arguments[0].NumberValue));

    private static JmesPathValue Max(scoped in FunctionArguments arguments) => Extreme(arguments[0], sign: 1);

    private static JmesPathValue Min(scoped in FunctionArguments arguments) => Extreme(arguments[0], sign: -1);

    /// <summary>The largest (sign 1) or smallest (sign -1) item; null for an empty array. The signature guarantees one item kind.</summary>
    private static JmesPathValue Extreme(in JmesPathValue array, int sign)
    {
        bool found = false;
        JmesPathValue best = default;
        foreach (JmesPathValue item in array.EnumerateArray())
        {
            if (!found || (sign * Interpretation.ValueComparer.CompareSortable(item, best)) > 0)
            {
                best = item;
                found = true;
            }
        }

        return best;
    }

    /// <summary>Specification, sum: 0 for an empty array. Integer sums stay integers until they would overflow.</summary>
    private static JmesPathValue Sum(scoped in FunctionArguments arguments)
    {
        long integerTotal = 0;
        double total = 0;
        bool allIntegers = true;
        foreach (JmesPathValue item in arguments[0].EnumerateArray())
        {
            total += item.NumberValue;
            if (allIntegers)
            {
                if (!item.IsInteger || AddOverflows(integerTotal, item.IntegerValue))
                {
                    allIntegers = false;
                }
                else
                {
                    integerTotal += item.IntegerValue;
                }
            }
        }

        return allIntegers ? JmesPathValue.Number(integerTotal) : JmesPathValue.Number(total);
    }

    private static bool AddOverflows(long a, long b)
    {
        long sum = unchecked(a + b);

        // Overflow happened when both operands share a sign and the sum's sign differs from it.
        return ((a ^ sum) & (b ^ sum)) < 0;
    }
}
