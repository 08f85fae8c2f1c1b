namespace MedTechEdge.Mapping.Templates;

/// <summary>A mapping failed to load. Carries every error found, not only the first.</summary>
public sealed class TemplateLoadException : Exception
{
    /// <summary>Creates the exception from the accumulated errors.</summary>
    public TemplateLoadException(IReadOnlyList<TemplateError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error (and warning) found.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<TemplateError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = new System.Text.StringBuilder("The mapping is invalid:");
        foreach (TemplateError error in errors)
        {
            if (!error.IsWarning)
            {
                lines.AppendLine().Append("  ").Append(error);
            }
        }

        return lines.ToString();
    }
}
