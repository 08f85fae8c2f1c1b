using System.Runtime.CompilerServices;
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
                return CreateEventHubSink(options.EventHub);
            case SinkKind.Ndjson:
                return new NdjsonFileSink(options.Output.NdjsonFolder);
            case SinkKind.Fhir when client is null:
                throw new ModuleStartupException("MedTechEdge:Sink is Fhir but MedTechEdge:Fhir:Url is empty.");
            default:
                return client is null ? new NdjsonFileSink(options.Output.NdjsonFolder) : new FhirServerSink(client, mapping);
        }
    }

    /// <summary>
    /// The producer for <c>MedTechEdge:EventHub</c>. The SDK's own retries stay short (a few quick tries within one
    /// write): beyond them Persist's backoff, with its jitter and its status, is in charge, and the data waits in the
    /// outbox rather than in the SDK.
    /// </summary>
    private static EventHubSink CreateEventHubSink(EventHubOptions options)
    {
        MedTechEdge.EventHubs.EventHubsEndpoint endpoint = EventHubsEndpointFactory.Create(options, "MedTechEdge:EventHub");
        if (options.MaxPublicationBytes is <= 0)
        {
            throw new ModuleStartupException("MedTechEdge:EventHub:MaxPublicationBytes must be positive, or empty for the hub's own limit.");
        }

        var producerOptions = new Azure.Messaging.EventHubs.Producer.EventHubProducerClientOptions
        {
            RetryOptions = new Azure.Messaging.EventHubs.EventHubsRetryOptions
            {
                Mode = Azure.Messaging.EventHubs.EventHubsRetryMode.Exponential,
                MaximumRetries = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                MaximumDelay = TimeSpan.FromSeconds(5),
                TryTimeout = options.Timeout,
            },
        };
        return new EventHubSink(endpoint.CreateProducer(producerOptions), options.MaxPublicationBytes);
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

        return Create(options, baseUrl);
    }

    /// <summary>
    /// A method of its own: a module without a FHIR server (NDJSON, edgeHub or Event Hubs output) then never loads
    /// System.Net.Http (docs/benchmarks.md, "3. Memory").
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FhirClient Create(MedTechEdgeOptions options, Uri baseUrl)
    {
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
