using System.Globalization;
using System.Text.Json;
using MedTechEdge.JmesPath;
using MedTechEdge.Mapping.Expressions;

namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// Converts an extracted JSON value to the string a measurement carries, and timestamps to UTC,
/// following the managed service's rules (medtech-semantics §2.6 and §3.9).
/// </summary>
internal static class ValueText
{
    /// <summary>
    /// False for objects and arrays, which cannot become a value. JSON null gives true with a null text.
    /// </summary>
    public static bool TryToText(in ExpressionValue value, out string? text) =>
        value.IsComputed ? TryToText(value.Computed, out text) : TryToText(value.Element, out text);

    /// <summary>Parses a timestamp to UTC from a node or a computed value.</summary>
    public static bool TryToUtc(in ExpressionValue value, out DateTime utc)
    {
        if (value.IsComputed)
        {
            utc = default;
            return value.Computed.TryGetString(out string? s) && s is not null && TryParseUtc(s, out utc);
        }

        return TryToUtc(value.Element, out utc);
    }

    /// <summary>
    /// False for objects and arrays, which cannot become a value. JSON null gives true with a null text.
    /// </summary>
    public static bool TryToText(JsonElement element, out string? text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                // Date-looking strings keep their original ISO text (a deliberate difference from OSS,
                // which re-formats them as MM/dd/yyyy HH:mm:ss; see docs/mappings.md).
                text = element.GetString();
                return true;
            case JsonValueKind.Number:
                text = NumberText(element);
                return true;
            case JsonValueKind.True:
                text = "True";
                return true;
            case JsonValueKind.False:
                text = "False";
                return true;
            case JsonValueKind.Null:
                text = null;
                return true;
            default:
                text = null;
                return false;
        }
    }

    /// <summary>Parses a timestamp to UTC; numbers (epoch values) are not timestamps (§3.9).</summary>
    public static bool TryToUtc(JsonElement element, out DateTime utc)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            // Fast path: ISO 8601 straight from the UTF-8 bytes, no string. Its kinds say what the text
            // said: Utc for Z, Local for an offset (converted), Unspecified for no zone (taken as UTC).
            if (element.TryGetDateTime(out DateTime iso))
            {
                utc = IsoToUtc(iso);
                return true;
            }

            string? s = element.GetString();
            if (s is not null && TryParseUtc(s, out utc))
            {
                return true;
            }
        }

        utc = default;
        return false;
    }

    /// <summary>An ISO 8601 time as System.Text.Json read it, in UTC (see <see cref="TryToUtc(JsonElement, out DateTime)"/>).</summary>
    internal static DateTime IsoToUtc(DateTime iso) => iso.Kind switch
    {
        DateTimeKind.Utc => iso,
        DateTimeKind.Local => iso.ToUniversalTime(),
        _ => DateTime.SpecifyKind(iso, DateTimeKind.Utc),
    };

    // Zone-less values are taken as UTC, offsets are honoured (medtech-semantics §2.7 REC).
    internal static bool TryParseUtc(string s, out DateTime utc) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

    private static bool TryToText(JmesPathValue value, out string? text)
    {
        switch (value.Kind)
        {
            case JmesPathValueKind.String:
                return value.TryGetString(out text);
            case JmesPathValueKind.Number when value.IsInteger && value.TryGetInt64(out long integer):
                text = integer.ToString(CultureInfo.InvariantCulture);
                return true;
            case JmesPathValueKind.Number when value.TryGetDouble(out double number):
                // Computed doubles print with 15 significant digits, as the managed service's samples
                // show (30.6/1.0936 -> "27.9809802487198"; medtech-semantics §2.6 REC).
                text = number.ToString("G15", CultureInfo.InvariantCulture);
                return true;
            case JmesPathValueKind.Boolean:
                text = value.GetBoolean() ? "True" : "False";
                return true;
            case JmesPathValueKind.Null:
                text = null;
                return true;
            default:
                text = null;
                return false;
        }
    }

    private static string NumberText(JsonElement element)
    {
        // Integers keep their digits (Json.NET reads them as Int64 or BigInteger and prints them back).
        if (element.TryGetInt64(out long integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        string raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return raw;
        }

        // Floats print in .NET's shortest round-trip form: 98.6 -> "98.6", 1.0 -> "1", 1e3 -> "1000".
        return element.GetDouble().ToString("R", CultureInfo.InvariantCulture);
    }
}
