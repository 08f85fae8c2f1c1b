using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using MedTechEdge.IotEdge;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Observability;

/// <summary>
/// Whether the module can take and keep device data now: the store answers at its path, every configured ingress
/// listens (the MQTT listener is bound; the edgeHub connection is up when device messages come by IoT Edge routes; the
/// Event Hubs ingress has started), and the mapping files load. <c>/readyz</c> answers with it, and the status in the twin's reported properties
/// carries it. Until the host has started every stage, ingest is not listening yet, so the module starts unready.
/// </summary>
internal sealed class ModuleReadiness(IServiceProvider services, MedTechEdgeOptions options, StoreProbe store, MappingFileCheck mappings)
{
    /// <summary>Why the module is not ready; empty when it is.</summary>
    public IReadOnlyList<string> Check()
    {
        var reasons = new List<string>();
        if (!store.TryAnswer(out string? storeError))
        {
            reasons.Add("store: " + storeError);
        }

        if (options.Mqtt.Enabled && services.GetService<MqttListenerService>()?.IsListening != true)
        {
            reasons.Add("ingest: the MQTT listener is not listening yet");
        }

        if (services.GetService<EventHubIngressService>() is { IsStarted: false })
        {
            reasons.Add("ingest: the Event Hubs ingress has not started yet (the hub is unreachable or refused the settings; see the log)");
        }

        if (services.GetService<EdgeHubService>() is { } edgeHub && !edgeHub.Client.IsConnected)
        {
            reasons.Add("ingest: not connected to edgeHub, so no device messages arrive from IoT Edge routes");
        }

        mappings.Check(reasons);
        return reasons;
    }
}
