using System.Text;

namespace MedTechEdge.JmesPath.Interpretation;

/// <summary>Equality and ordering of values (specification, "Equality", and the ordering used by sort and min/max).</summary>
internal static class ValueComparer
{
    /// <summary>
    /// Deep equality: same type and same value; numbers by numeric value (1 == 1.0), strings by code units,
    /// arrays item by item in order, objects by member set regardless of order.
    /// </summary>
    public static bool DeepEquals(in JmesPathValue left, in JmesPathValue right)
    {
        if (left.Kind != right.Kind)
        {
            return false;
        }

        switch (left.Kind)
        {
            case JmesPathValueKind.Null:
                return true;
            case JmesPathValueKind.Boolean:
                return left.GetBoolean() == right.GetBoolean();
            case JmesPathValueKind.Number:
                return left.IsInteger && right.IsInteger
                    ? left.IntegerValue == right.IntegerValue
                    : left.NumberValue == right.NumberValue;
            case JmesPathValueKind.String:
                // Decode at most one side: a computed string (a literal, a function result) compares directly.
                return right.TryGetComputedString(out string? text) ? left.StringEquals(text) : right.StringEquals(left.GetString());
            case JmesPathValueKind.Array:
                return ArraysEqual(left, right);
            default:
                return ObjectsEqual(left, right);
        }
    }

    /// <summary>Orders two numbers or two strings; the caller guarantees both have the same one of those kinds.</summary>
    public static int CompareSortable(in JmesPathValue left, in JmesPathValue right)
    {
        if (left.Kind == JmesPathValueKind.Number)
        {
            return left.IsInteger && right.IsInteger
                ? left.IntegerValue.CompareTo(right.IntegerValue)
                : left.NumberValue.CompareTo(right.NumberValue);
        }

        return CompareCodePoints(left.GetString(), right.GetString());
    }

    /// <summary>
    /// Orders strings by Unicode code point, as the reference implementation does. Ordinal UTF-16 comparison
    /// differs for characters above U+FFFF against U+E000..U+FFFF, so compare runes.
    /// </summary>
    public static int CompareCodePoints(string left, string right)
    {
        int i = 0;
        int j = 0;
        while (i < left.Length && j < right.Length)
        {
            Rune.DecodeFromUtf16(left.AsSpan(i), out Rune a, out int lengthA);
            Rune.DecodeFromUtf16(right.AsSpan(j), out Rune b, out int lengthB);
            int comparison = a.Value.CompareTo(b.Value);
            if (comparison != 0)
            {
                return comparison;
            }

            i += lengthA;
            j += lengthB;
        }

        return (left.Length - i).CompareTo(right.Length - j);
    }

    private static bool ArraysEqual(in JmesPathValue left, in JmesPathValue right)
    {
        if (left.GetArrayLength() != right.GetArrayLength())
        {
            return false;
        }

        JmesPathValue.ArrayEnumerator a = left.EnumerateArray();
        JmesPathValue.ArrayEnumerator b = right.EnumerateArray();
        while (a.MoveNext() && b.MoveNext())
        {
            if (!DeepEquals(a.Current, b.Current))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ObjectsEqual(in JmesPathValue left, in JmesPathValue right)
    {
        if (left.GetPropertyCount() != right.GetPropertyCount())
        {
            return false;
        }

        foreach (KeyValuePair<string, JmesPathValue> member in left.EnumerateObject())
        {
            if (!right.TryGetProperty(member.Key, out JmesPathValue other) || !DeepEquals(member.Value, other))
            {
                return false;
            }
        }

        return true;
    }
}
