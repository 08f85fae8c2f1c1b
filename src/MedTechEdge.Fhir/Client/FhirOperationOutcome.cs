namespace MedTechEdge.Fhir.Client;

/// <summary>The parts of an <c>OperationOutcome</c> a caller acts on or logs.</summary>
public sealed class FhirOperationOutcome
{
    internal FhirOperationOutcome(IReadOnlyList<FhirOutcomeIssue> issues)
    {
        Issues = issues;
    }

    /// <summary>The issues, in server order; may be empty.</summary>
    public IReadOnlyList<FhirOutcomeIssue> Issues { get; }

    /// <summary>The issues joined with "; ", for logs and dead-letter reasons.</summary>
    public override string ToString() => string.Join("; ", Issues);
}
