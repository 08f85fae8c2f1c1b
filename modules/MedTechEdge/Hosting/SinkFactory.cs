using MedTechEdge.Configuration;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Hosting;

/// <summary>Chooses where resources go: the configured FHIR server, or else local NDJSON files.</summary>
internal static class SinkFactory
{
    public static IResourceSink Create(MedTechEdgeOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Fhir.Url))
        {
            return new NdjsonFileSink(options.Output.NdjsonFolder);
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
        IFhirAccessTokenProvider? token = string.IsNullOrEmpty(options.Fhir.BearerToken) ? null : new StaticFhirAccessTokenProvider(options.Fhir.BearerToken);
        return new FhirServerSink(new FhirClient(http, baseUrl, token));
    }
}
