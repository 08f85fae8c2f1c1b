namespace MedTechEdge.Mapping.Templates;

/// <summary>A <c>value</c> (or <c>components[].value</c>) of a CodeValueFhir template.</summary>
internal sealed class FhirValueTemplate
{
    public required FhirValueType ValueType { get; init; }

    public required string ValueName { get; init; }

    /// <summary>Quantity and SampledData unit.</summary>
    public string? Unit { get; init; }

    /// <summary>Quantity code (e.g. UCUM <c>/min</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Quantity system (e.g. <c>http://unitsofmeasure.org</c>).</summary>
    public string? System { get; init; }

    /// <summary>SampledData period in milliseconds.</summary>
    public decimal? DefaultPeriod { get; init; }

    /// <summary>CodeableConcept text and codings.</summary>
    public FhirConcept? Concept { get; init; }

    /// <summary>The constant end of a <c>valueQuantity</c>, rendered on first use by the Observation writer.</summary>
    internal byte[]? QuantityTail { get; set; }
}

/// <summary>One entry of <c>components</c>: its codes and its value.</summary>
internal sealed record FhirComponentTemplate(IReadOnlyList<FhirCode> Codes, FhirValueTemplate Value);
