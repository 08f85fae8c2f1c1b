namespace MedTechEdge.Mapping.Templates;

/// <summary>One problem found while loading a mapping, with where it is.</summary>
/// <param name="Message">What is wrong.</param>
/// <param name="Line">1-based line in the mapping file; 0 when unknown.</param>
/// <param name="Position">1-based character position in that line; 0 when unknown.</param>
/// <param name="IsWarning">True for a warning, which does not stop the mapping from loading.</param>
public sealed record TemplateError(string Message, int Line, int Position, bool IsWarning = false)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Line > 0 ? $"Line Number: {Line}, Position: {Position}. {Message}" : Message;
}
