using System.Globalization;

namespace MedTechEdge.JmesPath.Functions;

/// <summary>insertString, fromUnixTimestamp, fromUnixTimestampMs.</summary>
internal static partial class MedTechFunctions
{
    /// <summary>
    /// insertString(original, toInsert, pos): inserts at a 0-based position counted in UTF-16 code units, as .NET's
    /// string.Insert does. pos may equal the length (append); pos &lt; 0 or &gt; length is an invalid-value error
    /// (OSS: ArgumentOutOfRangeException). A float pos is an invalid-type error (the signature asks for an integer).
    /// </summary>
    private static JmesPathValue InsertString(scoped in FunctionArguments arguments)
    {
        string original = arguments[0].GetString();
        string insert = arguments[1].GetString();
        long position = arguments[2].IntegerValue;
        if (position < 0 || position > original.Length)
        {
            ThrowHelper.ThrowInvalidValue(
                $"Error: invalid-value, function insertString expects argument 3 to be between 0 and {original.Length}, got {position}.");
        }

        return JmesPathValue.String(original.Insert((int)position, insert));
    }

    /// <summary>Seconds since 1970-01-01T00:00:00Z (negative values allowed) to a UTC date string.</summary>
    private static JmesPathValue FromUnixTimestamp(scoped in FunctionArguments arguments)
    {
        long seconds = arguments[0].IntegerValue;
        if (seconds < -62_135_596_800L || seconds > 253_402_300_799L)
        {
            ThrowHelper.ThrowInvalidValue($"Error: invalid-value, function fromUnixTimestamp got {seconds}, outside years 0001-9999.");
        }

        return FormatDate(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z (negative values allowed) to a UTC date string.</summary>
    private static JmesPathValue FromUnixTimestampMs(scoped in FunctionArguments arguments)
    {
        long milliseconds = arguments[0].IntegerValue;
        if (milliseconds < -62_135_596_800_000L || milliseconds > 253_402_300_799_999L)
        {
            ThrowHelper.ThrowInvalidValue($"Error: invalid-value, function fromUnixTimestampMs got {milliseconds}, outside years 0001-9999.");
        }

        return FormatDate(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
    }

    private static JmesPathValue FormatDate(DateTimeOffset instant) =>
        JmesPathValue.String(instant.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture));
}
