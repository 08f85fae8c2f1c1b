using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// One measurement as the source of a point-in-time Observation (a template without SampledData): its instant is the
/// period and its properties are the values, exactly what a group of that one measurement would give, without the group.
/// </summary>
internal readonly struct PointInTimeValues : IObservationValues
{
    private readonly Measurement _measurement;

    public PointInTimeValues(Measurement measurement)
    {
        _measurement = measurement;
        Start = DateTime.SpecifyKind(measurement.OccurrenceTimeUtc, DateTimeKind.Utc);
    }

    public DateTime Start { get; }

    public DateTime End => Start;

    public string IdSegment => ObservationGrouper.Segment(Start, Start);

    public bool TryAppendIdSegment(JsonAppender json)
    {
        ObservationGrouper.WriteSegmentUtf8(json.GetSpan(ObservationGrouper.SegmentLength), Start, Start);
        json.Advance(ObservationGrouper.SegmentLength);
        return true;
    }

    public bool TryGetLatest(string name, out string? value) => TryGetFirst(_measurement, name, out value);

    public bool TryGetSeries(string name, out SortedList<DateTime, ObservationGroup.TimedValue>? values)
    {
        values = null;
        return false;
    }

    /// <summary>
    /// The latest value of <paramref name="name"/> in one measurement: one time, so of equal names the first, as a
    /// group's table keeps the first of a tie (§6.1).
    /// </summary>
    internal static bool TryGetFirst(Measurement measurement, string name, out string? value)
    {
        List<MeasurementProperty> properties = measurement.Properties;
        for (int i = 0; i < properties.Count; i++)
        {
            if (string.Equals(properties[i].Name, name, StringComparison.Ordinal))
            {
                value = properties[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
