namespace MedTechEdge.Dashboard;

/// <summary>
/// What the dashboard reads from parts only the host knows (the edgeHub connection, the Event Hubs ingress service), as
/// functions the host supplies when it composes the dashboard. Each is called once a sampler tick.
/// </summary>
public sealed class DashboardSources
{
    /// <summary>
    /// Whether the connection the sink writes through is up; null when the sink writes through no such connection.
    /// A false makes the page show the sink failing at once, before any retry counts up.
    /// </summary>
    public Func<bool?> UpstreamConnected { get; init; } = static () => null;

    /// <summary>The Event Hubs ingress when it runs; null when it is off.</summary>
    public Func<EventHubIngressView?> EventHubIngress { get; init; } = static () => null;
}
