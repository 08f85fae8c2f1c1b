using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// The measurements that become one Observation: same device, type, patient, encounter and
/// correlation id, inside one period (medtech-semantics §4). Values are kept per property name, in time order.
/// </summary>
public sealed class ObservationGroup : Transform.IObservationValues
{
    private readonly string _idSegment;
    private readonly Dictionary<string, SortedList<DateTime, TimedValue>> _values = new(StringComparer.Ordinal);

    internal ObservationGroup(string type, DateTime start, DateTime end, string idSegment)
    {
        Type = type;
        DeviceId = string.Empty;
        Start = start;
        End = end;
        _idSegment = idSegment;
    }

    internal ObservationGroup(Measurement first, DateTime start, DateTime end, string idSegment)
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
    public string IdSegment => _idSegment;

    /// <summary>How many values the group holds, over all names.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (SortedList<DateTime, TimedValue> list in _values.Values)
            {
                count += list.Count;
            }

            return count;
        }
    }

    internal IReadOnlyDictionary<string, SortedList<DateTime, TimedValue>> Values => _values;

    bool Transform.IObservationValues.TryAppendIdSegment(Transform.JsonAppender json) => json.TryAppendPlain(_idSegment);

    bool Transform.IObservationValues.TryGetLatest(string name, out string? value) => TryGetLatest(name, out value);

    /// <summary>The value of <paramref name="name"/> at the group's latest time (a point-in-time Observation's value).</summary>
    internal bool TryGetLatest(string name, out string? value)
    {
        if (_values.TryGetValue(name, out SortedList<DateTime, TimedValue>? list))
        {
            value = list.Values[list.Count - 1].Value;
            return true;
        }

        value = null;
        return false;
    }

    bool Transform.IObservationValues.TryGetSeries(string name, out SortedList<DateTime, TimedValue>? values) => _values.TryGetValue(name, out values);

    internal void Add(Measurement measurement, bool widen)
    {
        Dictionary<string, SortedList<DateTime, TimedValue>> values = _values;
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
        Dictionary<string, SortedList<DateTime, TimedValue>> values = _values;
        if (!values.TryGetValue(name, out SortedList<DateTime, TimedValue>? list))
        {
            list = [];
            values.Add(name, list);
        }

        list[time] = new TimedValue(value, null);
    }

    internal readonly record struct TimedValue(string Value, DateTime? IngestionTimeUtc);
}
