using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Observability;

/// <summary>The module's observability, registered by <see cref="ModuleHost"/> in one call.</summary>
internal static class ObservabilityServices
{
    /// <summary>
    /// Registers the pipeline's counters (the stages take them), readiness, and the metrics and health server. Call it
    /// before the stages: the server starts first and stops last.
    /// </summary>
    public static void Add(IServiceCollection services, MedTechEdgeOptions options)
    {
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new StoreProbe(sp.GetRequiredService<MedTechEdge.Storage.MedTechStore>()));
        services.AddSingleton(_ => new MappingFileCheck(ModuleHost.ResolveMappingPath(options.Mappings.Device), ModuleHost.ResolveMappingPath(options.Mappings.Fhir)));
        services.AddSingleton<ModuleReadiness>();
        services.AddSingleton<ModuleMetrics>();
        ModuleHost.AddStage<ObservabilityServer>(services);
    }
}
