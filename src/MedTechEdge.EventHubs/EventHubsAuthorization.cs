using Azure.Core;
using Azure.Identity;

namespace MedTechEdge.EventHubs;

/// <summary>
/// The <c>Authorization</c> header of each publication. The REST interface takes either a shared access signature or
/// a Microsoft Entra ID token as <c>Bearer</c> (learn.microsoft.com/rest/api/eventhub/event-hubs-runtime-rest, "Common
/// headers"). Either way a token serves many publications and is renewed ahead of its expiry, never made per request.
/// </summary>
public abstract class EventHubsAuthorization
{
    /// <summary>
    /// The scope of Entra ID tokens for Event Hubs: the resource <c>https://eventhubs.azure.net/</c>, the same for every
    /// namespace and tenant of the public cloud (learn.microsoft.com/azure/event-hubs/authorize-access-azure-active-directory).
    /// </summary>
    public const string DefaultScope = "https://eventhubs.azure.net/.default";

    private protected EventHubsAuthorization()
    {
    }

    /// <summary>Shared access signatures signed with the connection string's key.</summary>
    /// <param name="connection">A connection parsed from a connection string (one with a key).</param>
    /// <param name="clock">The clock for token expiry; <see cref="TimeProvider.System"/> when null.</param>
    public static EventHubsAuthorization SharedAccessSignature(EventHubsConnection connection, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.KeyName is null || connection.Key is null)
        {
            throw new ArgumentException("The connection has no shared access key: sign in with a token credential instead.", nameof(connection));
        }

        return new SharedAccessSignatureAuthorization(connection.ResourceUri, connection.KeyName, connection.Key, clock ?? TimeProvider.System);
    }

    /// <summary>
    /// Entra ID tokens from an Azure.Identity credential (a managed identity, an app registration's secret, …); the
    /// identity needs the "Azure Event Hubs Data Sender" role on the event hub or its namespace.
    /// </summary>
    /// <param name="credential">Where tokens come from.</param>
    /// <param name="scope">The token scope; <see cref="DefaultScope"/> unless the namespace is in a national cloud.</param>
    /// <param name="clock">The clock for token expiry; <see cref="TimeProvider.System"/> when null.</param>
    public static EventHubsAuthorization Credential(TokenCredential credential, string scope = DefaultScope, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return new TokenCredentialAuthorization(credential, scope, clock ?? TimeProvider.System);
    }

    /// <summary>The header value for the next publication.</summary>
    /// <exception cref="EventHubsAuthorizationException">No token could be had: the settings or the identity are wrong.</exception>
    internal abstract ValueTask<string> HeaderAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The service refused the header (401): forget the token so the next publication gets a new one, in case this one
    /// was revoked or lapsed early, as on an edge box whose clock runs behind.
    /// </summary>
    internal abstract void Forget();
}

/// <summary>No token could be obtained; a configuration failure, like a 401 from the service.</summary>
internal sealed class EventHubsAuthorizationException(string message, Exception inner) : Exception(message, inner);

/// <summary>SAS tokens for the event hub's URI, one an hour, renewed five minutes before they expire.</summary>
internal sealed class SharedAccessSignatureAuthorization(Uri resource, string keyName, string key, TimeProvider clock) : EventHubsAuthorization
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_renewBefore = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private string? _token;
    private DateTimeOffset _expires;

    internal override ValueTask<string> HeaderAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (_token is null || _expires - now < s_renewBefore)
            {
                _expires = now + s_lifetime;
                _token = EventHubsSasToken.Create(resource, keyName, key, _expires);
            }

            return ValueTask.FromResult(_token);
        }
    }

    internal override void Forget()
    {
        lock (_lock)
        {
            _token = null;
        }
    }
}

/// <summary>
/// Bearer tokens from a <see cref="TokenCredential"/>. One token serves until its refresh point; concurrent
/// publications share one refresh. When a refresh fails while the current token is still valid, that token goes on
/// serving, so an identity endpoint's hiccup does not stop delivery.
/// </summary>
internal sealed class TokenCredentialAuthorization(TokenCredential credential, string scope, TimeProvider clock) : EventHubsAuthorization
{
    private static readonly TimeSpan s_refreshMargin = TimeSpan.FromMinutes(5);

    // After a failed refresh that the current token covers, wait this long before asking again, rather than asking the
    // identity endpoint with every publication.
    private static readonly TimeSpan s_retryRefreshAfter = TimeSpan.FromSeconds(30);

    private readonly TokenRequestContext _request = new([scope]);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    // Replaced whole, never changed in place, so the lock-free read below never sees half a token.
    private Held? _held;

    internal override async ValueTask<string> HeaderAsync(CancellationToken cancellationToken)
    {
        Held? held = Volatile.Read(ref _held);
        if (held is not null && clock.GetUtcNow() < held.RefreshAt)
        {
            return held.Header;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset now = clock.GetUtcNow();
            // Another publication may have refreshed while this one waited.
            held = _held;
            if (held is not null && now < held.RefreshAt)
            {
                return held.Header;
            }

            AccessToken token;
            try
            {
                token = await credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException ex) // CredentialUnavailableException is one too
            {
                if (held is not null && now < held.ExpiresOn)
                {
                    Volatile.Write(ref _held, held with { RefreshAt = Min(now + s_retryRefreshAfter, held.ExpiresOn) });
                    return held.Header;
                }

                // The exception's text names the credential and Entra ID's error code, not the secret.
                throw new EventHubsAuthorizationException("No Entra ID token for Event Hubs: " + ex.Message, ex);
            }

            held = new Held("Bearer " + token.Token, RefreshPoint(token, now), token.ExpiresOn);
            Volatile.Write(ref _held, held);
            return held.Header;
        }
        finally
        {
            _refresh.Release();
        }
    }

    internal override void Forget() => Volatile.Write(ref _held, null);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>
    /// Entra ID's own refresh hint when it gives one; otherwise five minutes before expiry, or halfway through a token
    /// that lives shorter than that, so a short-lived token is still reused rather than fetched per publication.
    /// </summary>
    private static DateTimeOffset RefreshPoint(AccessToken token, DateTimeOffset now)
    {
        if (token.RefreshOn is DateTimeOffset hint && hint < token.ExpiresOn)
        {
            return hint;
        }

        TimeSpan life = token.ExpiresOn - now;
        return token.ExpiresOn - (life > s_refreshMargin * 2 ? s_refreshMargin : life / 2);
    }

    private sealed record Held(string Header, DateTimeOffset RefreshAt, DateTimeOffset ExpiresOn);
}
