using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// Collects measurements into Observation groups for one FHIR mapping. Not thread-safe: one per batch
/// or per grouping stage.
/// </summary>
public sealed class MeasurementGrouping
{
    private readonly FhirMapping _mapping;
    private readonly Dictionary<ObservationGroupKey, ObservationGroup> _groups = [];

    internal MeasurementGrouping(FhirMapping mapping)
    {
        _mapping = mapping;
    }

    /// <summary>The groups so far, in no particular order.</summary>
    public IEnumerable<ObservationGroup> Groups => _groups.Values;

    /// <summary>How many groups there are.</summary>
    public int Count => _groups.Count;

    /// <summary>Adds one measurement. Returns null, or the error (no template for its type, no correlation id where one is needed).</summary>
    public MappingError? Add(Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!_mapping.TryGetTemplate(measurement.Type, out CodeValueFhirTemplate? template))
        {
            return FhirMapping.NoTemplate(measurement.Type);
        }

        // The grouper's only data error is a missing correlation id where the template groups by it.
        return ObservationGrouper.Add(template, measurement, _groups) is { } error ? new MappingError(MappingErrorKind.CorrelationIdNotDefined, measurement.Type, error) : null;
    }

    /// <summary>Forgets every group.</summary>
    public void Clear() => _groups.Clear();
}
