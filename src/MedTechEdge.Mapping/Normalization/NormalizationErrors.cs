namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// The readable normalization errors of a device template (the managed service's wording, medtech-semantics §2.3),
/// in one place so that the JSONPath engine and the streaming plan report the same text for the same failure.
/// </summary>
internal static class NormalizationErrors
{
    /// <summary>A required field's expression selected nothing.</summary>
    public static string Missing(string field, string expression) =>
        $"Unable to extract required value for [{field}] using {expression}";

    /// <summary>A required field's expression selected an object or an array.</summary>
    public static string Unconvertible(string field, string expression) =>
        $"Unable to extract required value for [{field}]: Encountered an error while extracting value for [{field}] using expression {expression}";

    /// <summary>A required field's value was null, empty or white space.</summary>
    public static string Blank(string field) =>
        $"Unable to extract required value for [{field}]: A null or empty value was supplied for the required field [{field}]";

    /// <summary>A timestamp candidate selected something that is not a time.</summary>
    public static string TimestampUnconvertible(string expression) => Unconvertible("TimestampExpression", expression);

    /// <summary>No timestamp candidate selected anything but null.</summary>
    public static string TimestampMissing(string firstExpression) => Missing("TimestampExpression", firstExpression);
}
