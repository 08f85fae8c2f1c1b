using System.Globalization;
using System.Text;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// FHIR R4 SampledData.data for one dimension, as the managed service builds and reads it
/// (medtech-semantics §5.2 "SampledData data algorithm"): slots of <c>period</c> ms from the start while
/// the slot start is not after the end; each slot holds the latest value with
/// slotStart ≤ t &lt; slotStart + period, or <c>E</c> when there is none.
/// <code>
///   start 10:00:00.000, end 10:00:03.500, period 1000 ms, values at .2 s (71), 1.1 s (72), 1.9 s (73), 3.0 s (75)
///   slots  [0,1) [1,2) [2,3) [3,4)  →  "71 73 E 75"
/// </code>
/// </summary>
internal static class SampledDataCodec
{
    public static string Encode(DateTime start, DateTime end, decimal periodMs, IList<DateTime> times, IList<string> values)
    {
        long periodTicks = ToTicks(periodMs);
        var data = new StringBuilder();
        int next = 0;
        for (long slot = start.Ticks; slot <= end.Ticks; slot += periodTicks)
        {
            long slotEnd = slot + periodTicks;
            string? latest = null;
            // Values before this slot (before the start) are skipped; times are sorted, so one pass suffices.
            while (next < times.Count && times[next].Ticks < slotEnd)
            {
                if (times[next].Ticks >= slot)
                {
                    latest = values[next];
                }

                next++;
            }

            if (data.Length > 0)
            {
                data.Append(' ');
            }

            data.Append(latest ?? "E");
        }

        return data.ToString();
    }

    /// <summary>Reads data back into (time, value) pairs from <paramref name="start"/>, dropping <c>E</c> slots.</summary>
    public static void Decode(string data, DateTime start, decimal periodMs, SortedList<DateTime, string> output)
    {
        long periodTicks = ToTicks(periodMs);
        long slot = start.Ticks;
        foreach (string token in data.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token != "E")
            {
                output[new DateTime(slot, DateTimeKind.Utc)] = token;
            }

            slot += periodTicks;
        }
    }

    /// <summary>True when <paramref name="value"/> is a FHIR decimal a SampledData slot can hold.</summary>
    public static bool IsDecimal(string value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    private static long ToTicks(decimal periodMs) => Math.Max(1, (long)(periodMs * TimeSpan.TicksPerMillisecond));
}
