using MedTechEdge.Configuration;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Hosting;

/// <summary>Chooses where resources go: the configured FHIR server, or else local NDJSON files.</summary>
internal static class SinkFactory
{
    public static IResourceSink Create(MedTechEdgeOptions options, MedTechEdge.Mapping.FhirMapping mapping, FhirClient? client)
    {
        switch (options.Sink)
        {
            case SinkKind.EventHub:
                return new EventHubSink(CreateEventHubsClient(options.EventHub));
            case SinkKind.Ndjson:
                return new NdjsonFileSink(options.Output.NdjsonFolder);
            case SinkKind.Fhir when client is null:
                throw new ModuleStartupException("MedTechEdge:Sink is Fhir but MedTechEdge:Fhir:Url is empty.");
            default:
                return client is null ? new NdjsonFileSink(options.Output.NdjsonFolder) : new FhirServerSink(client, mapping);
        }
    }

    private static MedTechEdge.EventHubs.EventHubsClient CreateEventHubsClient(EventHubOptions options)
    {
        MedTechEdge.EventHubs.EventHubsConnection connection;
        MedTechEdge.EventHubs.EventHubsAuthorization authorization;
        EventHubOptions.Credential kind = options.Authentication ?? EventHubOptions.Credential.SharedAccessKey;
        if (kind == EventHubOptions.Credential.SharedAccessKey)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new ModuleStartupException("MedTechEdge:Sink is EventHub: set MedTechEdge:EventHub:ConnectionString, or MedTechEdge:EventHub:Authentication (ManagedIdentity or ClientSecret) with FullyQualifiedNamespace and Name.");
            }

            if (!MedTechEdge.EventHubs.EventHubsConnection.TryParse(options.ConnectionString, options.Name, out MedTechEdge.EventHubs.EventHubsConnection? parsed, out string? error))
            {
                // The message names the missing part and never the key.
                throw new ModuleStartupException("MedTechEdge:EventHub:ConnectionString: " + error);
            }

            connection = parsed!;
            authorization = MedTechEdge.EventHubs.EventHubsAuthorization.SharedAccessSignature(connection);
        }
        else
        {
            connection = EntraConnection(options, kind);
            string scope = MedTechEdge.EventHubs.EventHubsAuthorization.DefaultScope;
            authorization = MedTechEdge.EventHubs.EventHubsAuthorization.Credential(EventHubsCredential(options, kind), scope);
        }

        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = options.Timeout,
        };
        return new MedTechEdge.EventHubs.EventHubsClient(http, connection, authorization, options.MaxPublicationBytes);
    }

    private static MedTechEdge.EventHubs.EventHubsConnection EntraConnection(EventHubOptions options, EventHubOptions.Credential kind)
    {
        // A connection string beside Entra ID would leave it unclear which identity sends: refuse rather than guess.
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ModuleStartupException($"MedTechEdge:EventHub:Authentication is {kind}, but MedTechEdge:EventHub:ConnectionString is set too: remove the connection string, or set Authentication to SharedAccessKey.");
        }

        if (string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
        {
            throw new ModuleStartupException($"MedTechEdge:EventHub:Authentication is {kind}: set MedTechEdge:EventHub:FullyQualifiedNamespace (the namespace's host name, e.g. contoso.servicebus.windows.net).");
        }

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new ModuleStartupException($"MedTechEdge:EventHub:Authentication is {kind}: set MedTechEdge:EventHub:Name (the event hub).");
        }

        return MedTechEdge.EventHubs.EventHubsConnection.TryCreate(options.FullyQualifiedNamespace, options.Name, out MedTechEdge.EventHubs.EventHubsConnection? connection, out string? error)
            ? connection!
            : throw new ModuleStartupException("MedTechEdge:EventHub:FullyQualifiedNamespace: " + error);
    }

    private static Azure.Core.TokenCredential EventHubsCredential(EventHubOptions options, EventHubOptions.Credential kind)
    {
        if (kind == EventHubOptions.Credential.ManagedIdentity)
        {
            return new Azure.Identity.ManagedIdentityCredential(string.IsNullOrWhiteSpace(options.ClientId)
                ? Azure.Identity.ManagedIdentityId.SystemAssigned
                : Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
        }

        // Name each missing setting, never a value: the secret must not reach a log.
        (string Name, string? Value)[] settings = [("TenantId", options.TenantId), ("ClientId", options.ClientId), ("ClientSecret", options.ClientSecret)];
        string[] missing = settings
            .Where(setting => string.IsNullOrWhiteSpace(setting.Value))
            .Select(setting => "MedTechEdge:EventHub:" + setting.Name)
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ModuleStartupException($"MedTechEdge:EventHub:Authentication is ClientSecret: set {string.Join(", ", missing)}.");
        }

        try
        {
            return new Azure.Identity.ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
        }
        catch (ArgumentException)
        {
            // Azure.Identity checks the tenant's form; its message is replaced so nothing of the settings is echoed.
            throw new ModuleStartupException("MedTechEdge:EventHub:TenantId is not a tenant id (a GUID or a domain such as contoso.onmicrosoft.com).");
        }
    }

    /// <summary>The client of the configured FHIR server, or null when none is configured (NDJSON output).</summary>
    public static FhirClient? CreateClient(MedTechEdgeOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Fhir.Url))
        {
            if (options.Pipeline.ResolutionType != MedTechEdge.Pipeline.Identity.IdentityResolutionType.Create)
            {
                throw new ModuleStartupException($"MedTechEdge:Pipeline:ResolutionType {options.Pipeline.ResolutionType} looks Devices up on a FHIR server: set MedTechEdge:Fhir:Url, or use Create.");
            }

            return null;
        }

        if (!Uri.TryCreate(options.Fhir.Url, UriKind.Absolute, out Uri? baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ModuleStartupException($"MedTechEdge:Fhir:Url '{options.Fhir.Url}' is not an absolute http(s) URL.");
        }

        var http = new HttpClient(new SocketsHttpHandler
        {
            // Re-resolve DNS now and then: a FHIR service behind a load balancer moves.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = options.Fhir.Timeout,
        };
        return new FhirClient(http, baseUrl, TokenProvider(options.Fhir, baseUrl));
    }

    private static IFhirAccessTokenProvider? TokenProvider(FhirServerOptions fhir, Uri baseUrl)
    {
        string scope = string.IsNullOrWhiteSpace(fhir.Scope) ? TokenCredentialAccessTokenProvider.DefaultScope(baseUrl) : fhir.Scope;
        switch (fhir.Authentication)
        {
            case FhirAuthentication.None:
                return null;
            case FhirAuthentication.BearerToken:
                return string.IsNullOrEmpty(fhir.BearerToken)
                    ? throw new ModuleStartupException("MedTechEdge:Fhir:Authentication is BearerToken but MedTechEdge:Fhir:BearerToken is empty.")
                    : new StaticFhirAccessTokenProvider(fhir.BearerToken);
            case FhirAuthentication.ClientSecret:
                if (string.IsNullOrWhiteSpace(fhir.TenantId) || string.IsNullOrWhiteSpace(fhir.ClientId) || string.IsNullOrEmpty(fhir.ClientSecret))
                {
                    throw new ModuleStartupException("MedTechEdge:Fhir:Authentication is ClientSecret: set MedTechEdge:Fhir:TenantId, ClientId and ClientSecret.");
                }

                return new TokenCredentialAccessTokenProvider(new Azure.Identity.ClientSecretCredential(fhir.TenantId, fhir.ClientId, fhir.ClientSecret), scope);
            default:
                Azure.Identity.ManagedIdentityId identity = string.IsNullOrWhiteSpace(fhir.ClientId)
                    ? Azure.Identity.ManagedIdentityId.SystemAssigned
                    : Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(fhir.ClientId);
                return new TokenCredentialAccessTokenProvider(new Azure.Identity.ManagedIdentityCredential(identity), scope);
        }
    }
}
