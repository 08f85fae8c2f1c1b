using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// The measurements that become one Observation: same device, type, patient, encounter and
/// correlation id, inside one period (medtech-semantics §4). Values are kept per property name, in time order.
/// </summary>
public sealed class ObservationGroup : IObservationValues
{
    // Null for a point in time until someone asks: the writer puts the period's digits straight into the identifier.
    private string? _idSegment;

    // A group keeps its first measurement as it is until a second one joins or someone asks for the series: most
    // point-in-time groups never hold more than one, and their Observation needs no table (see TryGetLatest).
    private Measurement? _single;
    private Dictionary<string, SortedList<DateTime, TimedValue>>? _values;

    internal ObservationGroup(string type, DateTime start, DateTime end, string idSegment)
    {
        Type = type;
        DeviceId = string.Empty;
        Start = start;
        End = end;
        _idSegment = idSegment;
    }

    internal ObservationGroup(Measurement first, DateTime start, DateTime end, string? idSegment)
    {
        Type = first.Type;
        DeviceId = first.DeviceId;
        PatientId = first.PatientId;
        EncounterId = first.EncounterId;
        CorrelationId = first.CorrelationId;
        Start = start;
        End = end;
        _idSegment = idSegment;
    }

    /// <summary>The normalized type name.</summary>
    public string Type { get; }

    /// <summary>The device's business identifier.</summary>
    public string DeviceId { get; }

    /// <summary>The patient's business identifier, if any.</summary>
    public string? PatientId { get; }

    /// <summary>The encounter's business identifier, if any.</summary>
    public string? EncounterId { get; }

    /// <summary>The correlation id, if any.</summary>
    public string? CorrelationId { get; }

    /// <summary>Start of the Observation's effective period (UTC).</summary>
    public DateTime Start { get; private set; }

    /// <summary>End of the Observation's effective period (UTC).</summary>
    public DateTime End { get; private set; }

    /// <summary>The last part of the Observation identifier: the period, or the correlation id.</summary>
    public string IdSegment => _idSegment ??= ObservationGrouper.Segment(Start, End);

    /// <summary>How many values the group holds, over all names.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (SortedList<DateTime, TimedValue> list in Table().Values)
            {
                count += list.Count;
            }

            return count;
        }
    }

    internal IReadOnlyDictionary<string, SortedList<DateTime, TimedValue>> Values => Table();

    bool IObservationValues.TryAppendIdSegment(JsonAppender json)
    {
        if (_idSegment is not null)
        {
            return json.TryAppendPlain(_idSegment);
        }

        // A point in time: its period's segment, which the group's measurements (all of one second) share.
        ObservationGrouper.WriteSegmentUtf8(json.GetSpan(ObservationGrouper.SegmentLength), Start, End);
        json.Advance(ObservationGrouper.SegmentLength);
        return true;
    }

    bool IObservationValues.TryGetLatest(string name, out string? value) => TryGetLatest(name, out value);

    /// <summary>The value of <paramref name="name"/> at the group's latest time (a point-in-time Observation's value).</summary>
    internal bool TryGetLatest(string name, out string? value)
    {
        if (_single is not null)
        {
            // One measurement, one time: what the table would hold as the latest value (§6.1).
            return PointInTimeValues.TryGetFirst(_single, name, out value);
        }

        if (Table().TryGetValue(name, out SortedList<DateTime, TimedValue>? list))
        {
            value = list.Values[list.Count - 1].Value;
            return true;
        }

        value = null;
        return false;
    }

    bool IObservationValues.TryGetSeries(string name, out SortedList<DateTime, TimedValue>? values) => Table().TryGetValue(name, out values);

    internal void Add(Measurement measurement, bool widen)
    {
        if (_values is null && _single is null && measurement.OccurrenceTimeUtc >= Start && measurement.OccurrenceTimeUtc <= End)
        {
            // The first measurement, inside the period (the one the group was made from): nothing to widen either.
            _single = measurement;
            return;
        }

        Dictionary<string, SortedList<DateTime, TimedValue>> values = Table();
        if (widen)
        {
            // CorrelationId grouping: the period spans the group's first to last measurement (§6.2).
            if (measurement.OccurrenceTimeUtc < Start)
            {
                Start = measurement.OccurrenceTimeUtc;
            }

            if (measurement.OccurrenceTimeUtc > End)
            {
                End = measurement.OccurrenceTimeUtc;
            }
        }

        AddToTable(values, measurement);
    }

    private static void AddToTable(Dictionary<string, SortedList<DateTime, TimedValue>> values, Measurement measurement)
    {
        foreach (MeasurementProperty property in measurement.Properties)
        {
            if (!values.TryGetValue(property.Name, out SortedList<DateTime, TimedValue>? list))
            {
                list = [];
                values.Add(property.Name, list);
            }

            var value = new TimedValue(property.Value, measurement.IngestionTimeUtc);
            // Same time twice: the measurement received last wins, ties keep the first (§6.1).
            if (!list.TryGetValue(measurement.OccurrenceTimeUtc, out TimedValue existing))
            {
                list.Add(measurement.OccurrenceTimeUtc, value);
            }
            else if (value.IngestionTimeUtc > existing.IngestionTimeUtc)
            {
                list[measurement.OccurrenceTimeUtc] = value;
            }
        }
    }

    /// <summary>Adds one value at one time; an existing value at that time is replaced (the newer write wins).</summary>
    internal void Set(string name, DateTime time, string value)
    {
        Dictionary<string, SortedList<DateTime, TimedValue>> values = Table();
        if (!values.TryGetValue(name, out SortedList<DateTime, TimedValue>? list))
        {
            list = [];
            values.Add(name, list);
        }

        list[time] = new TimedValue(value, null);
    }

    private Dictionary<string, SortedList<DateTime, TimedValue>> Table()
    {
        if (_values is null)
        {
            _values = new Dictionary<string, SortedList<DateTime, TimedValue>>(StringComparer.Ordinal);
            if (_single is Measurement single)
            {
                _single = null;
                AddToTable(_values, single);
            }
        }

        return _values;
    }

    internal readonly record struct TimedValue(string Value, DateTime? IngestionTimeUtc);
}
