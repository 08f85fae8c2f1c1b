namespace MedTechEdge.Fhir.Client;

/// <summary>One <c>OperationOutcome.issue</c> (FHIR R4 operationoutcome.html).</summary>
public sealed class FhirOutcomeIssue
{
    internal FhirOutcomeIssue(string severity, string code, string? diagnostics, IReadOnlyList<string> expression)
    {
        Severity = severity;
        Code = code;
        Diagnostics = diagnostics;
        Expression = expression;
    }

    /// <summary><c>issue.severity</c>: fatal, error, warning or information; empty if absent.</summary>
    public string Severity { get; }

    /// <summary><c>issue.code</c> from the IssueType value set, e.g. <c>structure</c>, <c>code-invalid</c>; empty if absent.</summary>
    public string Code { get; }

    /// <summary>
    /// <c>issue.diagnostics</c>, or <c>issue.details.text</c> when the server put its message there
    /// instead; null when neither is present.
    /// </summary>
    public string? Diagnostics { get; }

    /// <summary><c>issue.expression</c> (or the deprecated <c>issue.location</c>): FHIRPath to the offending element(s).</summary>
    public IReadOnlyList<string> Expression { get; }

    /// <summary>For example <c>error/code-invalid: Code "bogus" is not in ... (Observation.status)</c>.</summary>
    public override string ToString()
    {
        string text = $"{Severity}/{Code}: {Diagnostics}";
        return Expression.Count == 0 ? text : $"{text} ({string.Join(", ", Expression)})";
    }
}
