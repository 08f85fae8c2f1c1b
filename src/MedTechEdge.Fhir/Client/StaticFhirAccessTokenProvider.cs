namespace MedTechEdge.Fhir.Client;

/// <summary>Sends the same bearer token on every request (a token supplied by configuration).</summary>
public sealed class StaticFhirAccessTokenProvider : IFhirAccessTokenProvider
{
    private readonly string _token;

    /// <summary>Creates a provider for <paramref name="token"/>.</summary>
    /// <param name="token">The bearer token, without the "Bearer " prefix.</param>
    /// <exception cref="ArgumentException"><paramref name="token"/> is null, empty or white space.</exception>
    public StaticFhirAccessTokenProvider(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken) => new(_token);
}
