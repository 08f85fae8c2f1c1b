using System.Text;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>A full store holds the partition: nothing lost, nothing checkpointed past the inbox, retries on the clock.</summary>
public sealed class IngressBackpressureTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task At_The_Store_Cap_The_Partition_Holds_Retries_On_The_Clock_And_Resumes_When_Space_Frees()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 1 });
        const int count = 30;
        for (int i = 0; i < count; i++)
        {
            peer.Append(0, Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""));
        }

        await using var store = new IngressTestStore();
        using (SqliteConnection connection = store.Store.OpenConnection())
        {
            // At the cap already: every commit is refused until the test lifts it.
            store.Store.Options.MaxSizeBytes = StoreSize.UsedBytes(connection);
        }

        var clock = new TestClock(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        var settings = new EventHubIngressSettings { MaxBatchSize = 10, PrefetchCount = 10, LoadBalancingInterval = TimeSpan.FromSeconds(1) };
        await using var harness = new IngressHarness(peer, store, clock, settings);
        await harness.Ingress.StartAsync(CancellationToken.None);

        // The first batch is refused and the handler pauses on the clock: one refusal, one timer, no spinning.
        await IngressHarness.WaitUntilAsync(() => harness.Ingress.Metrics.HeldBatches == 1, s_deadline, "the partition held");
        await clock.WaitForTimerAsync(settings.FirstRetryPause, s_deadline);
        Assert.Equal(10, store.Inbox.RejectedCount);
        Assert.Equal(1, harness.Ingress.Metrics.HeldBatches);

        // Each step of the clock past the pause is one more try of the same events (250 ms, then 500 ms).
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await IngressHarness.WaitUntilAsync(() => harness.Ingress.Metrics.HeldBatches == 2, s_deadline, "a second try after the first pause");
        await clock.WaitForTimerAsync(settings.FirstRetryPause * 2, s_deadline);
        Assert.Equal(20, store.Inbox.RejectedCount);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(2, harness.Ingress.Metrics.HeldBatches);

        Assert.Equal(0, store.InboxCount());
        Assert.Null(store.Checkpoint(harness.Namespace, "vitals", "0"));
        Assert.Empty(harness.Checkpoints.Checkpoints);
        // The handler has the held batch only: the SDK hands no other batch of the partition while it holds.
        Assert.Equal(10, Assert.Single(harness.Ingress.Metrics.Snapshot()).Received);

        // Delivery frees space: the next try stores the held events, and the partition goes on to the end.
        store.Store.Options.MaxSizeBytes = 0;
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await IngressHarness.WaitUntilAsync(() => store.Checkpoint(harness.Namespace, "vitals", "0")?.SequenceNumber == count - 1, s_deadline, "every event stored and checkpointed");

        List<InboxMessage> inbox = store.InboxMessages();
        Assert.Equal(count, inbox.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal($$"""{"n":{{i}}}""", Encoding.UTF8.GetString(inbox[i].Body));
        }

        foreach ((long sequence, long inboxRows) in harness.Checkpoints.Checkpoints)
        {
            Assert.True(inboxRows >= sequence + 1, $"checkpoint at {sequence} written while the inbox held {inboxRows} events");
        }

        Assert.Empty(peer.Faults);
    }
}
