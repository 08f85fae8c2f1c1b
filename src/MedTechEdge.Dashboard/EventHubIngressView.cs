using MedTechEdge.EventHubs.Ingress;

namespace MedTechEdge.Dashboard;

/// <summary>Where the Event Hubs ingress reads and its live counters.</summary>
/// <param name="Namespace">The fully qualified namespace.</param>
/// <param name="EventHub">The event hub's name.</param>
/// <param name="ConsumerGroup">The consumer group the module reads as.</param>
/// <param name="Metrics">Counters per partition, read when the status is written.</param>
public sealed record EventHubIngressView(string Namespace, string EventHub, string ConsumerGroup, EventHubIngressMetrics Metrics);
