using System.Text;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>How fast a lone instance takes every partition after a start: the claiming strategy.</summary>
public sealed class IngressLoadBalancingTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_Lone_Instance_Reads_Every_Partition_From_Its_First_Cycle_By_Default()
    {
        const int partitions = 6;
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = partitions });
        for (int p = 0; p < partitions; p++)
        {
            peer.Append(p, Encoding.UTF8.GetBytes($$"""{"deviceId":"bed-{{p}}"}"""));
        }

        await using var store = new IngressTestStore();
        // A balancing cycle far longer than the deadline: whatever is owned within it was claimed in the first cycle.
        // The SDK's Balanced strategy would own one partition until the next cycle, a minute later.
        var settings = new EventHubIngressSettings { MaxBatchSize = 20, PrefetchCount = 40, LoadBalancingInterval = TimeSpan.FromMinutes(1), OwnershipExpiry = TimeSpan.FromMinutes(2) };
        Assert.Equal(LoadBalancingStrategy.Greedy, settings.LoadBalancingStrategy);
        await using var harness = new IngressHarness(peer, store, TimeProvider.System, settings);

        await harness.Ingress.StartAsync(CancellationToken.None);
        await IngressHarness.WaitUntilAsync(() => store.InboxCount() == partitions, s_deadline, "one event from every partition stored");

        Assert.Equal(partitions, harness.Ingress.Metrics.OwnedPartitions);
        Assert.Empty(peer.Faults);
    }
}
