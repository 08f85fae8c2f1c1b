using System.Text;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>The ingress against the AMQP peer: events into the inbox, checkpoints only behind the commit.</summary>
public sealed class IngressCheckpointTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_Checkpoint_Names_An_Event_The_Inbox_Already_Holds()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 1 });
        const int count = 250;
        for (int i = 0; i < count; i++)
        {
            peer.Append(0, Encoding.UTF8.GetBytes($$"""{"deviceId":"bed-1","n":{{i}}}"""));
        }

        await using var store = new IngressTestStore();
        await using var harness = new IngressHarness(peer, store, TimeProvider.System);

        await harness.Ingress.StartAsync(CancellationToken.None);
        await IngressHarness.WaitUntilAsync(() => store.Checkpoint(harness.Namespace, "vitals", "0")?.SequenceNumber == count - 1, s_deadline, "the last event checkpointed");

        List<InboxMessage> inbox = store.InboxMessages();
        Assert.Equal(count, inbox.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal($$"""{"deviceId":"bed-1","n":{{i}}}""", Encoding.UTF8.GetString(inbox[i].Body));
            Assert.Equal(MessageSources.EventHub, inbox[i].Source);
        }

        // Every checkpoint was written when the inbox already held the event it names.
        List<(long SequenceNumber, long Probe)> checkpoints = harness.Checkpoints.Checkpoints;
        Assert.NotEmpty(checkpoints);
        foreach ((long sequence, long inboxRows) in checkpoints)
        {
            Assert.True(inboxRows >= sequence + 1, $"checkpoint at {sequence} written while the inbox held {inboxRows} events");
        }

        PartitionIngressState partition = Assert.Single(harness.Ingress.Metrics.Snapshot());
        Assert.Equal(count, partition.Received);
        Assert.True(partition.Owned);
        Assert.Equal(0, partition.CheckpointLag);
        Assert.Equal(1, harness.Ingress.Metrics.OwnedPartitions);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Restarted_Ingress_Resumes_After_Its_Checkpoint_Without_Reading_Again()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 2 });
        for (int i = 0; i < 30; i++)
        {
            peer.Append(i % 2, Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""));
        }

        await using var store = new IngressTestStore();
        await using (var first = new IngressHarness(peer, store, TimeProvider.System))
        {
            await first.Ingress.StartAsync(CancellationToken.None);
            await IngressHarness.WaitUntilAsync(() => store.Checkpoint(first.Namespace, "vitals", "0")?.SequenceNumber == 14 && store.Checkpoint(first.Namespace, "vitals", "1")?.SequenceNumber == 14, s_deadline, "both partitions checkpointed");
            await first.Ingress.StopAsync(CancellationToken.None);
        }

        for (int i = 30; i < 36; i++)
        {
            peer.Append(i % 2, Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""));
        }

        await using var second = new IngressHarness(peer, store, TimeProvider.System);
        await second.Ingress.StartAsync(CancellationToken.None);
        await IngressHarness.WaitUntilAsync(() => store.InboxCount() >= 36, s_deadline, "the new events stored");
        await IngressHarness.WaitUntilAsync(() => store.Checkpoint(second.Namespace, "vitals", "1")?.SequenceNumber == 17, s_deadline, "the new events checkpointed");

        // Only the six new events were read: the restart started after each partition's checkpoint.
        long received = 0;
        foreach (PartitionIngressState p in second.Ingress.Metrics.Snapshot())
        {
            received += p.Received;
        }

        Assert.Equal(6, received);
        Assert.Equal(36, store.InboxCount());
        Assert.Contains("amqp.annotation.x-opt-sequence-number > 14", peer.ReceiveFilters);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task An_Event_Over_MaxEventBytes_Is_A_Dead_Letter_And_The_Partition_Goes_On()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 1 });
        peer.Append(0, """{"n":0}"""u8.ToArray());
        peer.Append(0, Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 2000) + "\"}"), new Dictionary<string, object?> { ["kind"] = "big" });
        peer.Append(0, """{"n":2}"""u8.ToArray());
        await using var store = new IngressTestStore();
        await using var harness = new IngressHarness(peer, store, TimeProvider.System, new EventHubIngressSettings { MaxEventBytes = 1024, MaxBatchSize = 2, PrefetchCount = 4 });

        await harness.Ingress.StartAsync(CancellationToken.None);
        await IngressHarness.WaitUntilAsync(() => store.Checkpoint(harness.Namespace, "vitals", "0")?.SequenceNumber == 2, s_deadline, "all three checkpointed");

        Assert.Equal(["""{"n":0}""", """{"n":2}"""], store.InboxMessages().Select(m => Encoding.UTF8.GetString(m.Body)));
        DeadLetter letter = Assert.Single(store.DeadLetters());
        Assert.Equal(DeadLetterKind.EventTooLarge, letter.Kind);
        Assert.Equal(PipelineStage.Ingest, letter.Stage);
        Assert.Equal(MessageSources.EventHub, letter.Message.Source);
        Assert.Empty(letter.Message.Body);
        Assert.Contains("\"kind\":\"big\"", letter.Message.PropertiesJson, StringComparison.Ordinal);
        Assert.Contains("\"x-opt-sequence-number\":1", letter.Message.SystemPropertiesJson, StringComparison.Ordinal);
        Assert.Contains("is 2010 bytes, over EventHubIngress:MaxEventBytes (1024)", letter.Error, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(harness.Ingress.Metrics.Snapshot()).DeadLetters);
    }
}
