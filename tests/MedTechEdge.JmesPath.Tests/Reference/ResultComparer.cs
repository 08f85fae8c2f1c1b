using System.Globalization;
using System.Numerics;
using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Compares our result with JmesPath.Net's as JSON values. Numbers compare by value (1 equals 1.0; two integers
/// compare exactly, so a precision loss above 2^53 shows). Object member order does not matter. Timestamps compare
/// as instants: our dates are ISO strings with seven fraction digits, the connector's are Json.NET Date tokens
/// (jmespath.md, "Deliberate differences" 2).
/// </summary>
internal static class ResultComparer
{
    /// <summary>Null when the values are equal; otherwise where and how they differ.</summary>
    public static string? Difference(JmesPathValue ours, JToken theirs, string path = "$")
    {
        switch (ours.Kind)
        {
            case JmesPathValueKind.Null:
                return theirs.Type == JTokenType.Null ? null : Mismatch(path, ours, theirs);
            case JmesPathValueKind.Boolean:
                return theirs.Type == JTokenType.Boolean && ours.GetBoolean() == theirs.Value<bool>() ? null : Mismatch(path, ours, theirs);
            case JmesPathValueKind.Number:
                return NumbersEqual(ours, theirs) ? null : Mismatch(path, ours, theirs);
            case JmesPathValueKind.String:
                return StringsEqual(ours, theirs) ? null : Mismatch(path, ours, theirs);
            case JmesPathValueKind.Array:
                return ArrayDifference(ours, theirs, path);
            default:
                return ObjectDifference(ours, theirs, path);
        }
    }

    private static bool NumbersEqual(JmesPathValue ours, JToken theirs)
    {
        if (theirs is not JValue { Type: JTokenType.Integer or JTokenType.Float } value)
        {
            return false;
        }

        if (ours.TryGetInt64(out long ourInteger) && value.Value is long theirInteger)
        {
            return ourInteger == theirInteger;
        }

        ours.TryGetDouble(out double ourDouble);
        double theirDouble = value.Value is BigInteger big ? (double)big : Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);

        // NaN from a float 0/0 on both sides is agreement, not a difference.
        return ourDouble.Equals(theirDouble);
    }

    private static bool StringsEqual(JmesPathValue ours, JToken theirs)
    {
        ours.TryGetString(out string? ourText);
        if (theirs.Type == JTokenType.String)
        {
            string theirText = theirs.Value<string>()!;
            return string.Equals(ourText, theirText, StringComparison.Ordinal)
                || (TryParseInstant(ourText!, out DateTimeOffset a) && TryParseInstant(theirText, out DateTimeOffset b) && a == b);
        }

        if (theirs.Type == JTokenType.Date && TryParseInstant(ourText!, out DateTimeOffset ourInstant))
        {
            object date = ((JValue)theirs).Value!;
            DateTimeOffset theirInstant = date is DateTimeOffset offset ? offset : new DateTimeOffset(DateTime.SpecifyKind((DateTime)date, DateTimeKind.Utc));
            return ourInstant == theirInstant;
        }

        return false;
    }

    /// <summary>An ISO 8601 date-time with a zone designator ("Z" or an offset); a date alone is not an instant.</summary>
    private static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return text.Length >= 20
            && text[4] == '-' && text[10] == 'T'
            && (text[^1] == 'Z' || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out instant);
    }

    private static string? ArrayDifference(JmesPathValue ours, JToken theirs, string path)
    {
        if (theirs is not JArray array || array.Count != ours.GetArrayLength())
        {
            return Mismatch(path, ours, theirs);
        }

        int index = 0;
        foreach (JmesPathValue item in ours.EnumerateArray())
        {
            string? difference = Difference(item, array[index], $"{path}[{index}]");
            if (difference is not null)
            {
                return difference;
            }

            index++;
        }

        return null;
    }

    private static string? ObjectDifference(JmesPathValue ours, JToken theirs, string path)
    {
        if (theirs is not JObject obj)
        {
            return Mismatch(path, ours, theirs);
        }

        int count = 0;
        foreach (KeyValuePair<string, JmesPathValue> member in ours.EnumerateObject())
        {
            count++;
            if (!obj.TryGetValue(member.Key, StringComparison.Ordinal, out JToken? other))
            {
                return $"{path}.{member.Key}: missing in JmesPath.Net's result";
            }

            string? difference = Difference(member.Value, other, $"{path}.{member.Key}");
            if (difference is not null)
            {
                return difference;
            }
        }

        return count == obj.Count ? null : Mismatch(path, ours, theirs);
    }

    private static string Mismatch(string path, JmesPathValue ours, JToken theirs) =>
        $"{path}: ours {ours.ToJsonString()}, JmesPath.Net {theirs.ToString(Newtonsoft.Json.Formatting.None)} ({theirs.Type})";
}
