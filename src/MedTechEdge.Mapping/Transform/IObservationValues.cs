using MedTechEdge.Mapping.Grouping;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// What the Observation writer takes from its source: a group of measurements (<see cref="ObservationGroup"/>), or one
/// point-in-time measurement written without making a group for it (<see cref="PointInTimeValues"/>).
/// </summary>
internal interface IObservationValues
{
    /// <summary>Start of the effective period (UTC).</summary>
    DateTime Start { get; }

    /// <summary>End of the effective period (UTC).</summary>
    DateTime End { get; }

    /// <summary>The last part of the identifier: the period, or the correlation id.</summary>
    string IdSegment { get; }

    /// <summary>Appends <see cref="IdSegment"/> when it is plain ASCII (JSON leaves it unescaped); false, with nothing written, otherwise.</summary>
    bool TryAppendIdSegment(JsonAppender json);

    /// <summary>The value of <paramref name="name"/> at the latest time (a point-in-time Observation's value).</summary>
    bool TryGetLatest(string name, out string? value);

    /// <summary>Every value of <paramref name="name"/> in time order, for SampledData; only a group holds series.</summary>
    bool TryGetSeries(string name, out SortedList<DateTime, ObservationGroup.TimedValue>? values);
}
