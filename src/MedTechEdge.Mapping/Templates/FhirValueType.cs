namespace MedTechEdge.Mapping.Templates;

/// <summary>The <c>valueType</c> of a FHIR template value (medtech-semantics §5.1).</summary>
internal enum FhirValueType
{
    SampledData,
    Quantity,
    String,
    CodeableConcept,
}
