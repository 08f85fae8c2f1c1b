namespace MedTechEdge.Fhir.Client;

/// <summary>Sends no Authorization header (test peers, servers behind a trusted proxy).</summary>
public sealed class NoFhirAccessTokenProvider : IFhirAccessTokenProvider
{
    /// <summary>The shared instance.</summary>
    public static NoFhirAccessTokenProvider Instance { get; } = new();

    private NoFhirAccessTokenProvider()
    {
    }

    /// <inheritdoc />
    public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => default;
}
