using Azure.Core;

namespace MedTechEdge.Fhir.Client;

/// <summary>
/// Bearer tokens from an Azure.Identity credential (client secret, managed identity, workload identity
/// or any <see cref="TokenCredential"/>), for Azure Health Data Services and other Entra ID protected
/// FHIR servers. A token is reused until shortly before it expires, so a busy pipeline asks the
/// identity service once an hour, not once a request; concurrent callers share one refresh.
/// </summary>
public sealed class TokenCredentialAccessTokenProvider : IFhirAccessTokenProvider
{
    // Refresh this long before expiry, so a request never leaves with a token that lapses in flight.
    private static readonly TimeSpan s_refreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken? _current;

    /// <summary>Creates the provider.</summary>
    /// <param name="credential">Where tokens come from.</param>
    /// <param name="scope">The OAuth 2.0 scope, e.g. <c>https://myworkspace-myfhir.fhir.azurehealthcareapis.com/.default</c>.</param>
    /// <param name="clock">The clock, for expiry; <see cref="TimeProvider.System"/> when null.</param>
    public TokenCredentialAccessTokenProvider(TokenCredential credential, string scope, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _credential = credential;
        _request = new TokenRequestContext([scope]);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The scope for a FHIR base URL: the server's origin and path with <c>/.default</c>, as Entra ID expects.</summary>
    public static string DefaultScope(Uri fhirBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(fhirBaseUrl);
        return fhirBaseUrl.GetLeftPart(UriPartial.Authority) + "/.default";
    }

    /// <inheritdoc/>
    /// <exception cref="Azure.Identity.AuthenticationFailedException">No token could be obtained (bad credentials, or no network).</exception>
    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_current))
        {
            return _current!.Value.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (!IsFresh(_current))
            {
                _current = await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
            }

            return _current!.Value.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool IsFresh(AccessToken? token)
    {
        if (token is not AccessToken value)
        {
            return false;
        }

        DateTimeOffset now = _clock.GetUtcNow();
        // Entra ID may say when to refresh (RefreshOn); otherwise refresh a margin before expiry.
        DateTimeOffset refreshAt = value.RefreshOn ?? value.ExpiresOn - s_refreshMargin;
        return now < refreshAt;
    }
}
