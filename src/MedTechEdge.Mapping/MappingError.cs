namespace MedTechEdge.Mapping;

/// <summary>What kind of data error a mapping met; the pipeline chooses its dead-letter kind from it.</summary>
public enum MappingErrorKind
{
    /// <summary>A device template matched but could not extract a required value, or an expression failed on the data.</summary>
    Normalization,

    /// <summary>No FHIR template has the measurement's type.</summary>
    TemplateNotFound,

    /// <summary>The template groups by correlation id and the measurement has none.</summary>
    CorrelationIdNotDefined,

    /// <summary>A value cannot be represented in the template's value type (a Quantity that is not a decimal, …).</summary>
    InvalidValue,

    /// <summary>New values cannot be merged into the existing Observation (another value type, more than one dimension, not an Observation).</summary>
    MergeConflict,
}

/// <summary>
/// A data error from normalizing or transforming one message, returned (never thrown) on the per-message path.
/// </summary>
/// <param name="Kind">What kind of error.</param>
/// <param name="TypeName">The template's type name, when one is concerned.</param>
/// <param name="Detail">What went wrong, naming the field and the expression.</param>
public sealed record MappingError(MappingErrorKind Kind, string? TypeName, string Detail)
{
    /// <summary>The readable error: a normalization error names its device template first.</summary>
    public string Message => Kind == MappingErrorKind.Normalization && TypeName is not null ? $"Template '{TypeName}': {Detail}" : Detail;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
