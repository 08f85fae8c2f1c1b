using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// The measurements that become one Observation: same device, type, patient, encounter and
/// correlation id, inside one period (medtech-semantics §4). Values are kept per property name, in time order.
/// </summary>
public sealed class ObservationGroup
{
    private Dictionary<string, SortedList<DateTime, TimedValue>>? _values;

    // A group made for one measurement (FhirMapping.Transform) keeps just that measurement until something
    // needs the value table, which most point-in-time Observations never do.
    private Measurement? _single;

    // Null for a point-in-time group made by ForSingle until someone asks: the writer puts the period's digits
    // straight into the identifier instead.
    private string? _idSegment;

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

    /// <summary>
    /// A group of <paramref name="measurement"/> alone; its values stay in the measurement. A null
    /// <paramref name="idSegment"/> means the period itself, which a group of one never widens.
    /// </summary>
    internal static ObservationGroup ForSingle(Measurement measurement, DateTime start, DateTime end, string? idSegment)
        => new(measurement, start, end, idSegment) { _single = measurement };

    /// <summary>
    /// Appends <see cref="IdSegment"/> to <paramref name="json"/> when it is plain ASCII (JSON leaves it unescaped); false,
    /// with nothing written, otherwise. A period segment not yet made into a string is written from the period.
    /// </summary>
    internal bool TryAppendIdSegment(Transform.JsonAppender json)
    {
        if (_idSegment is not null)
        {
            return json.TryAppendPlain(_idSegment);
        }

        ObservationGrouper.WriteSegmentUtf8(json.GetSpan(ObservationGrouper.SegmentLength), Start, End);
        json.Advance(ObservationGrouper.SegmentLength);
        return true;
    }

    /// <summary>The value of <paramref name="name"/> at the group's latest time (a point-in-time Observation's value).</summary>
    internal bool TryGetLatest(string name, out string? value)
    {
        if (_single is not null)
        {
            // One measurement, one time: of equal names the first wins, as Add keeps the first of a tie (§6.1).
            foreach (MeasurementProperty property in _single.Properties)
            {
                if (string.Equals(property.Name, name, StringComparison.Ordinal))
                {
                    value = property.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }

        if (Table().TryGetValue(name, out SortedList<DateTime, TimedValue>? list))
        {
            value = list.Values[list.Count - 1].Value;
            return true;
        }

        value = null;
        return false;
    }

    internal void Add(Measurement measurement, bool widen)
    {
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
                Add(single, widen: false);
            }
        }

        return _values;
    }

    internal readonly record struct TimedValue(string Value, DateTime? IngestionTimeUtc);
}
