using MedTechEdge.Configuration;
using MedTechEdge.EventHubs;

namespace MedTechEdge.Hosting;

/// <summary>
/// Turns <see cref="EventHubConnectionOptions"/> into an <see cref="EventHubsEndpoint"/>, for the sink and the ingress
/// alike. Every refusal names the setting to change (under <c>section</c>) and never echoes a value: a connection
/// string or a client secret must not reach a log.
/// </summary>
internal static class EventHubsEndpointFactory
{
    public static EventHubsEndpoint Create(EventHubConnectionOptions options, string section)
    {
        EventHubConnectionOptions.Credential kind = options.Authentication ?? EventHubConnectionOptions.Credential.SharedAccessKey;
        EventHubsEndpoint endpoint;
        if (kind == EventHubConnectionOptions.Credential.SharedAccessKey)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new ModuleStartupException($"{section}: set {section}:ConnectionString, or {section}:Authentication (ManagedIdentity, ClientSecret or Default) with FullyQualifiedNamespace and Name.");
            }

            CheckConnectionString(options.ConnectionString, options.Name, section);
            endpoint = EventHubsEndpoint.FromConnectionString(options.ConnectionString, options.Name);
        }
        else
        {
            // A connection string beside Entra ID would leave it unclear which identity signs in: refuse rather than guess.
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new ModuleStartupException($"{section}:Authentication is {kind}, but {section}:ConnectionString is set too: remove the connection string, or set Authentication to SharedAccessKey.");
            }

            // A host name, as the portal shows it: not an address, and nothing Uri would refuse later in the SDK.
            if (string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace)
                || Uri.CheckHostName(options.FullyQualifiedNamespace) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            {
                throw new ModuleStartupException($"{section}:Authentication is {kind}: set {section}:FullyQualifiedNamespace to the namespace's host name (e.g. contoso.servicebus.windows.net).");
            }

            if (string.IsNullOrWhiteSpace(options.Name))
            {
                throw new ModuleStartupException($"{section}:Authentication is {kind}: set {section}:Name (the event hub).");
            }

            endpoint = EventHubsEndpoint.FromCredential(options.FullyQualifiedNamespace, options.Name, Credential(options, kind, section));
        }

        Uri? custom = null;
        if (!string.IsNullOrWhiteSpace(options.CustomEndpointAddress)
            && (!Uri.TryCreate(options.CustomEndpointAddress, UriKind.Absolute, out custom) || string.IsNullOrEmpty(custom.Host)))
        {
            throw new ModuleStartupException($"{section}:CustomEndpointAddress is not an absolute address (e.g. amqps://gateway.contoso.com).");
        }

        return new EventHubsEndpoint(endpoint)
        {
            TransportType = options.Transport == EventHubTransport.AmqpWebSockets ? Azure.Messaging.EventHubs.EventHubsTransportType.AmqpWebSockets : Azure.Messaging.EventHubs.EventHubsTransportType.AmqpTcp,
            CustomEndpointAddress = custom,
        };
    }

    /// <summary>The parts the SDK needs, named when missing: the SDK's own messages can quote the whole string, key included.</summary>
    private static void CheckConnectionString(string connectionString, string? name, string section)
    {
        bool endpoint = false, keyName = false, key = false, signature = false, entity = false;
        foreach (string part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string field = equals < 0 ? part : part[..equals];
            bool hasValue = equals >= 0 && equals < part.Length - 1;
            if (field.Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = hasValue && Uri.TryCreate(part[(equals + 1)..], UriKind.Absolute, out Uri? uri) && !string.IsNullOrEmpty(uri.Host);
            }
            else if (field.Equals("SharedAccessKeyName", StringComparison.OrdinalIgnoreCase))
            {
                keyName = hasValue;
            }
            else if (field.Equals("SharedAccessKey", StringComparison.OrdinalIgnoreCase))
            {
                key = hasValue;
            }
            else if (field.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase))
            {
                signature = hasValue;
            }
            else if (field.Equals("EntityPath", StringComparison.OrdinalIgnoreCase))
            {
                entity = hasValue;
            }
        }

        string? missing = !endpoint ? "Endpoint=sb://<namespace>.servicebus.windows.net/"
            : !signature && !(keyName && key) ? "SharedAccessKeyName and SharedAccessKey (or SharedAccessSignature)"
            : !entity && string.IsNullOrWhiteSpace(name) ? $"EntityPath (or set {section}:Name)"
            : null;
        if (missing is not null)
        {
            throw new ModuleStartupException($"{section}:ConnectionString lacks {missing}.");
        }
    }

    internal static Azure.Core.TokenCredential Credential(EventHubConnectionOptions options, EventHubConnectionOptions.Credential kind, string section)
    {
        switch (kind)
        {
            case EventHubConnectionOptions.Credential.ManagedIdentity:
                return new Azure.Identity.ManagedIdentityCredential(string.IsNullOrWhiteSpace(options.ClientId)
                    ? Azure.Identity.ManagedIdentityId.SystemAssigned
                    : Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
            case EventHubConnectionOptions.Credential.Default:
                return new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId,
                });
            default:
                break;
        }

        // Name each missing setting, never a value: the secret must not reach a log.
        var missing = new List<string>(3);
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            missing.Add(section + ":TenantId");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            missing.Add(section + ":ClientId");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            missing.Add(section + ":ClientSecret");
        }

        if (missing.Count > 0)
        {
            throw new ModuleStartupException($"{section}:Authentication is ClientSecret: set {string.Join(", ", missing)}.");
        }

        try
        {
            return new Azure.Identity.ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
        }
        catch (ArgumentException)
        {
            // Azure.Identity checks the tenant's form; its message is replaced so nothing of the settings is echoed.
            throw new ModuleStartupException($"{section}:TenantId is not a tenant id (a GUID or a domain such as contoso.onmicrosoft.com).");
        }
    }
}
