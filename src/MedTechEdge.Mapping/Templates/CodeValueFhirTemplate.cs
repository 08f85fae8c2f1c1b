namespace MedTechEdge.Mapping.Templates;

/// <summary>A compiled CodeValueFhir template: how measurements of one type become an Observation.</summary>
internal sealed class CodeValueFhirTemplate
{
    public required string TypeName { get; init; }

    public required PeriodInterval PeriodInterval { get; init; }

    public required IReadOnlyList<FhirConcept> Category { get; init; }

    public required IReadOnlyList<FhirCode> Codes { get; init; }

    public FhirValueTemplate? Value { get; init; }

    public required IReadOnlyList<FhirComponentTemplate> Components { get; init; }

    /// <summary>The template's constant JSON, rendered once by <see cref="Transform.ObservationFragments"/>.</summary>
    internal Transform.ObservationFragments? Fragments { get; set; }

    /// <summary>
    /// True when the value or any component is SampledData: only then does <see cref="PeriodInterval"/>
    /// apply; other value types are point-in-time Observations (medtech-semantics §4, as the managed service does).
    /// </summary>
    public bool UsesSampledData
    {
        get
        {
            if (Value?.ValueType == FhirValueType.SampledData)
            {
                return true;
            }

            // Indexed: a foreach over the interface would box an enumerator on every Observation.
            for (int i = 0; i < Components.Count; i++)
            {
                if (Components[i].Value.ValueType == FhirValueType.SampledData)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
