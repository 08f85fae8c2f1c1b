namespace MedTechEdge.Fhir.Client;

/// <summary>
/// Supplies the OAuth 2.0 bearer token sent as <c>Authorization: Bearer ...</c> on every FHIR
/// request. Implementations cache and refresh tokens themselves; <see cref="FhirClient"/> asks
/// before each request.
/// </summary>
public interface IFhirAccessTokenProvider
{
    /// <summary>
    /// Returns the access token to send, or null to send no Authorization header.
    /// </summary>
    /// <param name="cancellationToken">Cancels the token acquisition.</param>
    /// <returns>The token, without the "Bearer " prefix; null for none.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <remarks>
    /// Failures to obtain a token should surface as exceptions; the client does not turn them into
    /// responses, because they are configuration problems rather than server outcomes.
    /// </remarks>
    ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}
