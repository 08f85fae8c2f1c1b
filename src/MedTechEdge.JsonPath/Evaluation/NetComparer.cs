using System.Globalization;
using MedTechEdge.JsonPath.Ast.MedTech;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// Json.NET 13.0.3's primitive comparisons, re-derived from its observable behaviour:
/// <list type="bullet">
/// <item><c>==</c> holds for equal values of the same type, or an Integer and a Float with (approximately) the
/// same value. <c>"78"</c> never equals <c>78</c>.</item>
/// <item>Ordering uses the left operand's type, except that a string on the left takes the right operand's type;
/// the other value is then converted to that type (<c>"78" &gt; 70</c> is true). Null orders below everything.</item>
/// <item>Floats compare equal within a relative epsilon of 2.22e-16 (Json.NET's <c>ApproxEquals</c>).</item>
/// </list>
/// Where Json.NET throws FormatException (a conversion that fails, such as <c>"abc" &gt; 70</c>) this returns
/// <c>null</c>: the comparison is false, and the caller reports the evaluation's fault, so that the mapping layer can
/// fail the message as the managed service did (docs/jsonpath.md, D4), without an exception on the per-message path.
/// </summary>
internal static class NetComparer
{
    public static bool AreEqual(in NetScalar left, in NetScalar right)
    {
        if (left.Type == right.Type)
        {
            return left.Type switch
            {
                NetType.Null => true,
                NetType.Boolean => left.Boolean == right.Boolean,
                NetType.Integer => left.Integer == right.Integer,
                NetType.Float => CompareFloat(left.Float, right.Float) == 0,
                NetType.String => left.StringEquals(right),
                _ => false,
            };
        }

        if ((left.Type == NetType.Integer && right.Type == NetType.Float) || (left.Type == NetType.Float && right.Type == NetType.Integer))
        {
            return CompareFloat(AsDouble(left), AsDouble(right)) == 0;
        }

        return false;
    }

    /// <summary>The type Json.NET's <c>JValue.CompareTo</c> compares in: the left operand's, unless it is a string and the right is not.</summary>
    public static NetType ComparisonType(in NetScalar left, in NetScalar right) =>
        left.Type == NetType.String && right.Type != NetType.String ? right.Type : left.Type;

    /// <summary>Json.NET's <c>JValue.CompareTo</c>; null when it would throw.</summary>
    public static int? Compare(in NetScalar left, in NetScalar right)
    {
        NetType type = ComparisonType(left, right);
        if (left.Type == NetType.Null && right.Type == NetType.Null)
        {
            return 0;
        }

        if (right.Type == NetType.Null)
        {
            return 1;
        }

        if (left.Type == NetType.Null)
        {
            return -1;
        }

        switch (type)
        {
            case NetType.Integer:
                if (left.Type == NetType.Float || right.Type == NetType.Float)
                {
                    return TryDouble(left, out double a) && TryDouble(right, out double b) ? CompareFloat(a, b) : null;
                }

                return TryInt64(left, out long x) && TryInt64(right, out long y) ? x.CompareTo(y) : null;
            case NetType.Float:
                return TryDouble(left, out double d1) && TryDouble(right, out double d2) ? CompareFloat(d1, d2) : null;
            case NetType.String:
                return string.CompareOrdinal(left.GetString(), right.GetString());
            case NetType.Boolean:
                return TryBoolean(left, out bool b1) && TryBoolean(right, out bool b2) ? b1.CompareTo(b2) : null;
            default:
                return null;
        }
    }

    /// <summary>Json.NET's <c>MathUtils.ApproxEquals</c> followed by a plain comparison.</summary>
    private static int CompareFloat(double a, double b)
    {
        const double epsilon = 2.2204460492503131E-16;
        if (a == b)
        {
            return 0;
        }

        double tolerance = (Math.Abs(a) + Math.Abs(b) + 10.0) * epsilon;
        double difference = a - b;
        if (-tolerance < difference && tolerance > difference)
        {
            return 0;
        }

        return a.CompareTo(b);
    }

    private static double AsDouble(in NetScalar value) => value.Type == NetType.Integer ? value.Integer : value.Float;

    // Convert.ToInt64 / ToDouble / ToBoolean semantics, without the exceptions.
    private static bool TryInt64(in NetScalar value, out long result)
    {
        switch (value.Type)
        {
            case NetType.Integer:
                result = value.Integer;
                return true;
            case NetType.Boolean:
                result = value.Boolean ? 1 : 0;
                return true;
            case NetType.String:
                return long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryDouble(in NetScalar value, out double result)
    {
        switch (value.Type)
        {
            case NetType.Integer:
                result = value.Integer;
                return true;
            case NetType.Float:
                result = value.Float;
                return true;
            case NetType.Boolean:
                result = value.Boolean ? 1 : 0;
                return true;
            case NetType.String:
                return double.TryParse(value.GetString(), NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryBoolean(in NetScalar value, out bool result)
    {
        switch (value.Type)
        {
            case NetType.Boolean:
                result = value.Boolean;
                return true;
            case NetType.Integer:
                result = value.Integer != 0;
                return true;
            case NetType.Float:
                result = value.Float != 0;
                return true;
            case NetType.String:
                return bool.TryParse(value.GetString(), out result);
            default:
                result = false;
                return false;
        }
    }
}
