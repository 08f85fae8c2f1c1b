using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Stages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Dashboard;

/// <summary>How a host adds the dashboard to its services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dashboard as a hosted service, with the measurement tap the Map stage records into only when it is
    /// registered, and the pipeline's counters (shared with the metrics endpoint when that is on). The host validates
    /// <paramref name="options"/> first (<see cref="DashboardOptionsValidator"/>) and registers the
    /// <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, DashboardOptions options, Func<IServiceProvider, DashboardSources> sources)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(sources);
        services.AddSingleton<MeasurementTap>();
        services.TryAddSingleton<PipelineMetrics>();
        services.AddSingleton<DashboardSampler>();
        // A factory, as the constructor is internal (its sampler is); the service itself is public so that the host can
        // read where it listens (LocalEndPoint) for its start-up log and its tests.
        services.AddSingleton(sp => new DashboardService(options, sp.GetRequiredService<DashboardSampler>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DashboardService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<DashboardService>());
        return services;
    }
}
