using System.Globalization;
using MedTechEdge.Configuration;
using MedTechEdge.Mapping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// The start-up log's account of what the module runs on: where it writes, how it resolves identities, which mapping
/// files with how many templates, and where the store is with its cap. The listeners log their own addresses once
/// bound. Nothing here is patient data or a secret: the FHIR server is named by its host only (a URL may carry a
/// token in its query), an event hub by the setting that configures it.
/// </summary>
internal sealed partial class StartupReport(MedTechEdgeOptions options, DeviceMapping device, FhirMapping fhir, bool fhirServer, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogPipeline(Sink(), options.Pipeline.ResolutionType.ToString());
        LogMappings(ModuleHost.ResolveMappingPath(options.Mappings.Device), device.TemplateCount, ModuleHost.ResolveMappingPath(options.Mappings.Fhir), fhir.TemplateCount);
        string maxAge = options.Store.MaxAge > TimeSpan.Zero ? ", rows older than " + options.Store.MaxAge.ToString("c", CultureInfo.InvariantCulture) + " removed" : string.Empty;
        // MaxSizeBytes 0 (or less) is no cap at all, as the inbox writer reads it (docs/configuration.md).
        string cap = options.Store.MaxSizeBytes > 0
            ? "capped at " + (options.Store.MaxSizeBytes / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB"
            : "not capped";
        LogStore(Path.GetFullPath(options.Store.Path), cap, maxAge);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Sink() => options.Sink switch
    {
        SinkKind.EventHub => "an event hub (MedTechEdge:EventHub)",
        SinkKind.EdgeHub => "edgeHub, " + options.EdgeHub.Content + " to a module output",
        SinkKind.Ndjson => Ndjson(),
        _ when fhirServer => "the FHIR server at " + new Uri(options.Fhir.Url).Host,
        _ => Ndjson(),
    };

    private string Ndjson() => "FHIR NDJSON files in " + Path.GetFullPath(options.Output.NdjsonFolder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writing to {Sink}; identities resolved in {ResolutionType} mode.")]
    private partial void LogPipeline(string sink, string resolutionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device mapping {DeviceFile} ({DeviceTemplates} templates); FHIR mapping {FhirFile} ({FhirTemplates} templates).")]
    private partial void LogMappings(string deviceFile, int deviceTemplates, string fhirFile, int fhirTemplates);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {StorePath}, {Cap}{MaxAge}.")]
    private partial void LogStore(string storePath, string cap, string maxAge);
}
