using System.Globalization;
using System.Text;
using MedTechEdge.Mapping.Grouping;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// The period part of an Observation identifier, <c>yyyyMMddHHmmssZ.yyyyMMddHHmmssZ</c> (medtech-semantics §6.2), is
/// the same whether made as a string or written straight into the identifier's UTF-8.
/// </summary>
public sealed class IdSegmentTests
{
    [Fact]
    public void Segments_Match_The_Formatted_Period_For_Any_Instants()
    {
        var random = new Random(16);
        var instants = new List<DateTime> { DateTime.MinValue, DateTime.MaxValue, new(999, 1, 2, 3, 4, 5, DateTimeKind.Utc), new(2026, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc) };
        for (int i = 0; i < 500; i++)
        {
            instants.Add(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc));
        }

        Span<byte> utf8 = stackalloc byte[ObservationGrouper.SegmentLength];
        for (int i = 0; i < instants.Count; i++)
        {
            DateTime start = instants[i];
            foreach (DateTime end in new[] { start, instants[(i + 1) % instants.Count] })
            {
                string expected = Compact(start) + "." + Compact(end);

                ObservationGrouper.WriteSegmentUtf8(utf8, start, end);

                Assert.Equal(expected, ObservationGrouper.Segment(start, end));
                Assert.Equal(expected, Encoding.ASCII.GetString(utf8));
            }
        }
    }

    private static string Compact(DateTime time) => time.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
}
