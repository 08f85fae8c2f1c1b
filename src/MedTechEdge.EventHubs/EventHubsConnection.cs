namespace MedTechEdge.EventHubs;

/// <summary>
/// An Event Hubs connection string, <c>Endpoint=sb://{namespace}.servicebus.windows.net/;SharedAccessKeyName=…;
/// SharedAccessKey=…;EntityPath={eventHub}</c>, parsed. The key is kept only to sign tokens; <see cref="ToString"/>
/// never shows it.
/// </summary>
public sealed class EventHubsConnection
{
    private EventHubsConnection(Uri endpoint, string eventHub, string keyName, string key)
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

    /// <summary>The shared access policy's name (<c>SharedAccessKeyName</c>).</summary>
    public string KeyName { get; }

    internal string Key { get; }

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

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("sb" or "https" or "http"))
        {
            error = "The Event Hubs Endpoint is not an sb:// (or https://) address.";
            return false;
        }

        // sb:// names the namespace; the REST interface is HTTPS on the same host. http:// is kept for a local test endpoint.
        var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "http" ? "http" : "https", Path = "/" };
        if (uri.Scheme == "sb")
        {
            builder.Port = -1;
        }

        connection = new EventHubsConnection(builder.Uri, hub!, keyName!, key!);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Endpoint}{EventHub} (policy {KeyName})";
}
