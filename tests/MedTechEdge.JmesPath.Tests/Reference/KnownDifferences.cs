using System.Numerics;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Sorts a difference between the engines into one of the categories that docs/jmespath.md ("JmesPath.Net as a
/// referee") lists and <see cref="KnownDifferenceTests"/> pins, or returns null for a difference nobody decided on.
/// Each rule checks that our side is the right one, not just that the engines differ.
/// </summary>
internal static partial class KnownDifferences
{
    /// <summary>Ours by decision: integer overflow is an Overflow error here; the connector's long arithmetic wraps.</summary>
    public const string OverflowWraps = "integer overflow: an error here, wraps in the connector";

    /// <summary>
    /// Ours by decision: pow of two integers is exact here; the connector goes through doubles, which rounds the
    /// result above 2^53, rounds a huge exponent (so pow(-1, 2^63-1) is 1), and fails past Int64 after rounding.
    /// </summary>
    public const string PowThroughDoubles = "integer pow: exact here, through doubles in the connector";

    /// <summary>
    /// Theirs: a bare word between backticks is a legacy string literal (jmespath.md); JmesPath.Net 1.1.0 dropped
    /// it and fails to parse templates that use it.
    /// </summary>
    public const string LegacyLiteralRefused = "legacy literal: a string here, a syntax error in JmesPath.Net";

    /// <summary>
    /// Theirs: projections drop null results (specification, "Projections"); JmesPath.Net drops only its own
    /// null singleton and keeps an explicit JSON null of the document.
    /// </summary>
    public const string DocumentNullsKept = "explicit JSON null: dropped from projections here, kept by JmesPath.Net";

    /// <summary>
    /// Theirs: JmesPath.Net's abs and sort_by read integers as Int32, and ceil and floor convert through a double
    /// back to Int64, so millisecond timestamps and Int64 limits throw OverflowException there.
    /// </summary>
    public const string NarrowIntegers = "integers beyond Int32: fine here, OverflowException in JmesPath.Net";

    public static string? Classify(CaseResult result)
    {
        if (IsOverflowWrap(result))
        {
            return OverflowWraps;
        }

        if (IsExactPow(result))
        {
            return PowThroughDoubles;
        }

        if (result.Theirs.ErrorKind == "syntax" && result.Theirs.Error!.Message.Contains("near '`", StringComparison.Ordinal)
            && result.Ours.ErrorKind != "syntax")
        {
            return LegacyLiteralRefused;
        }

        if (!result.Ours.Failed && !result.Theirs.Failed && IsOursWithDocumentNullsDropped(result.Ours.Value, result.Theirs.Value.AsJToken()))
        {
            return DocumentNullsKept;
        }

        if (!result.Ours.Failed && result.Theirs.Error is OverflowException && NarrowFunction().IsMatch(result.Expression))
        {
            return NarrowIntegers;
        }

        return null;
    }

    private static bool IsOverflowWrap(CaseResult result)
    {
        bool wrapping = result.Expression.StartsWith("add(", StringComparison.Ordinal)
            || result.Expression.StartsWith("subtract(", StringComparison.Ordinal)
            || result.Expression.StartsWith("multiply(", StringComparison.Ordinal);
        return wrapping && result.Ours.ErrorKind == "overflow" && !result.Theirs.Failed && result.Theirs.Value.AsJToken().Type == JTokenType.Integer;
    }

    /// <summary>
    /// pow over two integer literals qualifies when the exact power, computed here, proves ours right. Over other
    /// operands only the rounding past Int64 qualifies: our integer result rounds to ±2^63 as a double.
    /// </summary>
    private static bool IsExactPow(CaseResult result)
    {
        if (!result.Expression.StartsWith("pow(", StringComparison.Ordinal) || result.Ours.Failed || !result.Ours.Value.TryGetInt64(out long ours))
        {
            return false;
        }

        Match call = PowOfLiterals().Match(result.Expression);
        if (!call.Success)
        {
            return result.Theirs.Error is OverflowException && Math.Abs((double)ours) >= 9223372036854775808d;
        }

        var a = BigInteger.Parse(call.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var b = BigInteger.Parse(call.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        BigInteger exact;
        if (BigInteger.Abs(a) <= 1)
        {
            // 0, 1 and -1 to any non-negative power without computing a 2^63-step power.
            exact = a.IsZero ? (b.IsZero ? 1 : 0) : a.IsOne ? 1 : (b.IsEven ? 1 : -1);
        }
        else if (b >= 0 && b <= 64)
        {
            exact = BigInteger.Pow(a, (int)b);
        }
        else
        {
            return false;
        }

        bool theirsWrong = result.Theirs.Failed || result.Theirs.Value.AsJToken() is not JValue { Value: long theirs } || theirs != ours;
        return b >= 0 && exact == ours && theirsWrong;
    }

    private static bool IsOursWithDocumentNullsDropped(JmesPathValue ours, JToken theirs)
    {
        if (theirs is not JArray array || !array.Any(item => item.Type == JTokenType.Null))
        {
            return false;
        }

        var withoutNulls = new JArray(array.Where(item => item.Type != JTokenType.Null));
        return ResultComparer.Difference(ours, withoutNulls) is null;
    }

    [GeneratedRegex(@"^pow\(`(-?\d+)`, `(-?\d+)`\)$")]
    private static partial Regex PowOfLiterals();

    [GeneratedRegex(@"\b(abs|sort_by|ceil|floor)\(")]
    private static partial Regex NarrowFunction();
}
