namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// One SampledData window as the server holds it: found (its body and ETag), missing (the record becomes the first
/// copy), or a read that failed.
/// </summary>
internal readonly record struct WindowRead
{
    public static WindowRead Missing => default;

    public bool Found { get; private init; }

    /// <summary>The server's copy (a view of the response body); empty unless <see cref="Found"/>.</summary>
    public ReadOnlyMemory<byte> Resource { get; private init; }

    /// <summary>Its version, for the merged write's <c>If-Match</c>; null if the server sent none.</summary>
    public string? ETag { get; private init; }

    /// <summary>Why it could not be read; null otherwise.</summary>
    public SendFailureDetails? Failure { get; private init; }

    public static WindowRead Read(ReadOnlyMemory<byte> resource, string? etag) => new() { Found = true, Resource = resource, ETag = etag };

    public static WindowRead Failed(SendFailureDetails failure) => new() { Failure = failure };
}
