using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using MedTechEdge.TestPeers.EventHubsAmqp;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>Who may read a partition: consumer groups, and exclusive readers by owner level, as the .NET SDK sees them.</summary>
public sealed class AmqpPeerOwnershipTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_Higher_Owner_Level_Takes_The_Partition_And_The_Lower_Receiver_Is_Disconnected()
    {
        using var peer = new EventHubsAmqpPeer();
        peer.Append(0, Encoding.UTF8.GetBytes("first"));
        using var cancel = new CancellationTokenSource(s_deadline);
        await using PartitionReceiver low = SdkConsumer.Receiver(peer.ConnectionString, "0", EventPosition.Earliest, ownerLevel: 1);
        await using PartitionReceiver high = SdkConsumer.Receiver(peer.ConnectionString, "0", EventPosition.Earliest, ownerLevel: 2);

        SdkEventData byLow = Assert.Single(await low.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        SdkEventData byHigh = Assert.Single(await high.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        peer.Append(0, Encoding.UTF8.GetBytes("second"));
        var stolen = await Assert.ThrowsAsync<EventHubsException>(() => low.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        SdkEventData second = Assert.Single(await high.ReceiveBatchAsync(1, s_deadline, cancel.Token));

        Assert.Equal("first", byLow.EventBody.ToString());
        Assert.Equal("first", byHigh.EventBody.ToString());
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, stolen.Reason);
        Assert.Equal("second", second.EventBody.ToString());
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Lower_Owner_Level_Or_None_Is_Refused_While_A_Higher_One_Holds_The_Partition()
    {
        using var peer = new EventHubsAmqpPeer();
        peer.Append(1, Encoding.UTF8.GetBytes("only"));
        using var cancel = new CancellationTokenSource(s_deadline);
        await using PartitionReceiver holder = SdkConsumer.Receiver(peer.ConnectionString, "1", EventPosition.Earliest, ownerLevel: 5);
        await using PartitionReceiver lower = SdkConsumer.Receiver(peer.ConnectionString, "1", EventPosition.Earliest, ownerLevel: 4);
        await using PartitionReceiver none = SdkConsumer.Receiver(peer.ConnectionString, "1", EventPosition.Earliest, ownerLevel: null);
        await using PartitionReceiver otherPartition = SdkConsumer.Receiver(peer.ConnectionString, "2", EventPosition.Earliest, ownerLevel: 1);

        Assert.Single(await holder.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        var refusedLower = await Assert.ThrowsAsync<EventHubsException>(() => lower.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        var refusedNone = await Assert.ThrowsAsync<EventHubsException>(() => none.ReceiveBatchAsync(1, s_deadline, cancel.Token));
        IEnumerable<SdkEventData> nothingYet = await otherPartition.ReceiveBatchAsync(1, TimeSpan.FromMilliseconds(100), cancel.Token);

        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, refusedLower.Reason);
        Assert.Equal(EventHubsException.FailureReason.ConsumerDisconnected, refusedNone.Reason);
        Assert.Empty(nothingYet);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Configured_Consumer_Group_Reads_And_An_Unknown_One_Is_Not_Found()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { ConsumerGroups = ["$Default", "medtech"] });
        peer.Append(0, Encoding.UTF8.GetBytes("x"));
        await using EventHubConsumerClient known = SdkConsumer.Create(peer.ConnectionString, "medtech");
        await using EventHubConsumerClient unknown = SdkConsumer.Create(peer.ConnectionString, "analytics", maximumRetries: 0);

        SdkEventData read = Assert.Single(await SdkConsumer.ReadAsync(known, "0", EventPosition.Earliest, 1, s_deadline));
        var notFound = await Assert.ThrowsAsync<EventHubsException>(() => SdkConsumer.ReadAsync(unknown, "0", EventPosition.Earliest, 1, s_deadline));

        Assert.Equal("x", read.EventBody.ToString());
        Assert.Equal(EventHubsException.FailureReason.ResourceNotFound, notFound.Reason);
        Assert.Contains("no consumer group 'analytics'", notFound.Message, StringComparison.Ordinal);
        Assert.Empty(peer.Faults);
    }
}
