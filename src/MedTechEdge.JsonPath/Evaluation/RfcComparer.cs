using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>RFC 9535 §2.3.5.2.2 comparisons.</summary>
internal static class RfcComparer
{
    /// <summary>
    /// §2.3.5.2.2 <c>==</c>: two Nothings are equal; Nothing equals no value; numbers by value (1 == 1.0);
    /// strings, booleans and null by value; arrays element-wise; objects member-wise regardless of order.
    /// </summary>
    public static bool AreEqual(in FilterValue left, in FilterValue right)
    {
        if (left.IsNothing || right.IsNothing)
        {
            return left.IsNothing && right.IsNothing;
        }

        if (left.IsNumber && right.IsNumber)
        {
            if (left.Kind == FilterValueKind.Element && right.Kind == FilterValueKind.Element)
            {
                return JsonElement.DeepEquals(left.Element, right.Element);
            }

            return CompareNumbers(left, right) == 0;
        }

        if (left.Kind != FilterValueKind.Element || right.Kind != FilterValueKind.Element)
        {
            return false;
        }

        // JsonElement.DeepEquals: numbers by decimal value, strings ordinal, objects unordered.
        return JsonElement.DeepEquals(left.Element, right.Element);
    }

    /// <summary>§2.3.5.2.2 <c>&lt;</c>: only between two numbers or two strings; anything else is false.</summary>
    public static bool IsLess(in FilterValue left, in FilterValue right)
    {
        if (left.IsNumber && right.IsNumber)
        {
            return CompareNumbers(left, right) < 0;
        }

        if (left.IsString && right.IsString)
        {
            return CompareStrings(left.Element.GetString()!, right.Element.GetString()!) < 0;
        }

        return false;
    }

    private static int CompareNumbers(in FilterValue left, in FilterValue right)
    {
        if (TryDecimal(left, out decimal a) && TryDecimal(right, out decimal b))
        {
            return a.CompareTo(b);
        }

        return ToDouble(left).CompareTo(ToDouble(right));
    }

    private static bool TryDecimal(in FilterValue value, out decimal result)
    {
        if (value.Kind == FilterValueKind.Element)
        {
            return value.Element.TryGetDecimal(out result);
        }

        result = (decimal)value.Number;
        return true;
    }

    private static double ToDouble(in FilterValue value)
        => value.Kind == FilterValueKind.Number ? value.Number : value.Element.TryGetDouble(out double d) ? d : double.NaN;

    /// <summary>
    /// Orders strings by Unicode scalar value, as §2.3.5.2.2 requires. UTF-16 ordinal order differs only when a
    /// surrogate meets a code unit in U+E000–U+FFFF, so those units are remapped before comparing.
    /// </summary>
    public static int CompareStrings(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i];
            char y = b[i];
            if (x != y)
            {
                return Rank(x).CompareTo(Rank(y));
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int Rank(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;
}
