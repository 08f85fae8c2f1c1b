namespace MedTechEdge.EventHubs;

/// <summary>
/// Where events go: the namespace and the event hub, from a connection string (<c>Endpoint=sb://{namespace}.servicebus.windows.net/;
/// SharedAccessKeyName=…;SharedAccessKey=…;EntityPath={eventHub}</c>, with the key to sign SAS tokens) or from the
/// namespace's host name and the hub's name alone (for Entra ID tokens, which carry no key). The key is kept only to
/// sign tokens; <see cref="ToString"/> never shows it.
/// </summary>
public sealed class EventHubsConnection
{
    private EventHubsConnection(Uri endpoint, string eventHub, string? keyName, string? key)
    {
        Endpoint = endpoint;
        EventHub = eventHub;
        KeyName = keyName;
        Key = key;
    }

    /// <summary>The namespace's HTTPS base, e.g. <c>https://contoso.servicebus.windows.net/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The event hub (the connection string's <c>EntityPath</c>).</summary>
    public string EventHub { get; }

    /// <summary>The shared access policy's name (<c>SharedAccessKeyName</c>); null without a connection string.</summary>
    public string? KeyName { get; }

    internal string? Key { get; }

    /// <summary>The URI tokens are signed for: the event hub under the namespace.</summary>
    public Uri ResourceUri => new(Endpoint, Uri.EscapeDataString(EventHub));

    /// <summary>Parses a connection string; returns false with an error that names the missing or bad part.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="eventHub">The event hub when the string has no <c>EntityPath</c> (a namespace-level string).</param>
    /// <param name="connection">The parsed connection.</param>
    /// <param name="error">What is wrong; never contains the key.</param>
    public static bool TryParse(string? connectionString, string? eventHub, out EventHubsConnection? connection, out string? error)
    {
        connection = null;
        string? endpoint = null, keyName = null, key = null, entityPath = null;
        foreach (string part in (connectionString ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = "The Event Hubs connection string has a part without 'name=value'.";
                return false;
            }

            // The key itself may end in '=' (base64 padding): split at the first '=' only.
            string name = part[..equals].Trim();
            string value = part[(equals + 1)..].Trim();
            if (name.Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("SharedAccessKeyName", StringComparison.OrdinalIgnoreCase))
            {
                keyName = value;
            }
            else if (name.Equals("SharedAccessKey", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
            else if (name.Equals("EntityPath", StringComparison.OrdinalIgnoreCase))
            {
                entityPath = value;
            }
        }

        string? hub = string.IsNullOrWhiteSpace(entityPath) ? eventHub : entityPath;
        error = endpoint is null ? "The Event Hubs connection string has no Endpoint."
            : keyName is null ? "The Event Hubs connection string has no SharedAccessKeyName."
            : key is null ? "The Event Hubs connection string has no SharedAccessKey."
            : string.IsNullOrWhiteSpace(hub) ? "The Event Hubs connection string has no EntityPath, and no event hub name was given."
            : null;
        if (error is not null)
        {
            return false;
        }

        Uri? rest = RestEndpoint(endpoint!);
        if (rest is null)
        {
            error = "The Event Hubs Endpoint is not an sb:// (or https://) address.";
            return false;
        }

        connection = new EventHubsConnection(rest, hub!, keyName!, key!);
        return true;
    }

    /// <summary>
    /// A connection without a key, for Entra ID tokens: the namespace's host name (<c>contoso.servicebus.windows.net</c>,
    /// as the portal shows it; an sb:// or https:// address is taken too) and the event hub.
    /// </summary>
    /// <param name="fullyQualifiedNamespace">The namespace's host name.</param>
    /// <param name="eventHub">The event hub.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="error">What is wrong.</param>
    public static bool TryCreate(string? fullyQualifiedNamespace, string? eventHub, out EventHubsConnection? connection, out string? error)
    {
        connection = null;
        string host = (fullyQualifiedNamespace ?? string.Empty).Trim();
        if (host.Length == 0)
        {
            error = "No Event Hubs namespace was given.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(eventHub))
        {
            error = "No event hub name was given.";
            return false;
        }

        // A bare host name is the portal's "Host name"; an address is accepted as in a connection string's Endpoint.
        Uri? rest = host.Contains("://", StringComparison.Ordinal) ? RestEndpoint(host)
            : Uri.CheckHostName(host) == UriHostNameType.Dns ? new Uri("https://" + host + "/")
            : null;
        if (rest is null)
        {
            error = $"The Event Hubs namespace '{host}' is not a host name such as contoso.servicebus.windows.net.";
            return false;
        }

        connection = new EventHubsConnection(rest, eventHub.Trim(), null, null);
        error = null;
        return true;
    }

    /// <summary>The REST interface's base for a namespace address, or null when it is not one.</summary>
    private static Uri? RestEndpoint(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("sb" or "https" or "http"))
        {
            return null;
        }

        // sb:// names the namespace; the REST interface is HTTPS on the same host. http:// is kept for a local test endpoint.
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "http" ? "http" : "https", Path = "/" };
        if (uri.Scheme == "sb")
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    /// <inheritdoc/>
    public override string ToString() => KeyName is null ? $"{Endpoint}{EventHub}" : $"{Endpoint}{EventHub} (policy {KeyName})";
}
