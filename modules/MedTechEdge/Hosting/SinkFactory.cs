using MedTechEdge.Configuration;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Hosting;

/// <summary>Chooses where resources go: the configured FHIR server, or else local NDJSON files.</summary>
internal static class SinkFactory
{
    public static IResourceSink Create(MedTechEdgeOptions options, IServiceProvider services)
    {
        _ = services;
        if (!string.IsNullOrWhiteSpace(options.Fhir.Url))
        {
            if (!Uri.TryCreate(options.Fhir.Url, UriKind.Absolute, out Uri? baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new ModuleStartupException($"MedTechEdge:Fhir:Url '{options.Fhir.Url}' is not an absolute http(s) URL.");
            }

            return FhirServerSink.Create(baseUrl, options.Fhir);
        }

        return new NdjsonFileSink(options.Output.NdjsonFolder);
    }
}
