using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.TestPeers.EventHubsAmqp;
using Microsoft.Extensions.Logging.Abstractions;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>The ingress over a test store, reading the AMQP peer, with its checkpoints observed.</summary>
internal sealed class IngressHarness : IAsyncDisposable
{
    private readonly SqliteCheckpointStore _sqlite;

    public IngressHarness(EventHubsAmqpPeer peer, IngressTestStore store, TimeProvider clock, EventHubIngressSettings? settings = null)
    {
        Store = store;
        _sqlite = new SqliteCheckpointStore(store.Store, clock);
        Checkpoints = new ObservingCheckpointStore(_sqlite, store.InboxCount);
        Ingress = new EventHubIngress(
            EventHubsEndpoint.FromConnectionString(peer.ConnectionString, null),
            settings ?? new EventHubIngressSettings { MaxBatchSize = 20, PrefetchCount = 40, LoadBalancingInterval = TimeSpan.FromSeconds(1) },
            Checkpoints,
            store.Inbox,
            store.Store,
            clock,
            NullLoggerFactory.Instance);
    }

    public IngressTestStore Store { get; }

    public EventHubIngress Ingress { get; }

    public ObservingCheckpointStore Checkpoints { get; }

    /// <summary>The peer's host, as the processor names the namespace in its checkpoints.</summary>
    public string Namespace => Ingress.FullyQualifiedNamespace;

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => Poll.UntilAsync(condition, timeout, what);

    public async ValueTask DisposeAsync()
    {
        await Ingress.DisposeAsync();
        _sqlite.Dispose();
    }
}
