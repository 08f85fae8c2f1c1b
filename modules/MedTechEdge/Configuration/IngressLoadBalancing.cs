namespace MedTechEdge.Configuration;

/// <summary>
/// How the Event Hubs ingress claims partitions (<c>LoadBalancingStrategy</c> of <see cref="EventHubIngressOptions"/>),
/// with the SDK's names; our own enum so that binding the options does not load the SDK's assembly when the ingress is
/// off (docs/operations.md, "Memory").
/// </summary>
internal enum IngressLoadBalancing
{
    /// <summary>Claims this instance's fair share of partitions in one balancing cycle.</summary>
    Greedy,

    /// <summary>The SDK's own default: one partition per cycle.</summary>
    Balanced,
}
