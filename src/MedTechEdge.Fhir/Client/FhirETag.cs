namespace MedTechEdge.Fhir.Client;

/// <summary>
/// FHIR versions travel as weak ETags: <c>ETag: W/"3"</c> on responses, <c>If-Match: W/"3"</c> on
/// requests (FHIR R4 http.html#versioning).
/// </summary>
internal static class FhirETag
{
    /// <summary>Accepts <c>W/"3"</c>, <c>"3"</c> or a bare version id, and returns the header form.</summary>
    public static string ToIfMatch(string versionOrETag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionOrETag);
        string value = versionOrETag.Trim();
        if (value.StartsWith("W/\"", StringComparison.Ordinal) || value.StartsWith('"'))
        {
            return value;
        }

        return "W/\"" + value + "\"";
    }

    /// <summary><c>W/"3"</c> or <c>"3"</c> to <c>3</c>; null for null or empty.</summary>
    public static string? ToVersionId(string? etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return null;
        }

        ReadOnlySpan<char> span = etag.AsSpan().Trim();
        if (span.StartsWith("W/", StringComparison.Ordinal))
        {
            span = span[2..];
        }

        if (span.Length >= 2 && span[0] == '"' && span[^1] == '"')
        {
            span = span[1..^1];
        }

        return span.Length == 0 ? null : span.ToString();
    }
}
