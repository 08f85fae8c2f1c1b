using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using MedTechEdge.TestPeers.EventHubsAmqp;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>The Event Hubs AMQP peer as Microsoft's .NET producer sees it: management reads, batch limits, batches.</summary>
public sealed class AmqpPeerProducerTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_Producer_Reads_The_Hub_And_Partition_Properties()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Hub = "vitals", PartitionCount = 4 });
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);

        EventHubProperties hub = await producer.GetEventHubPropertiesAsync();
        string[] ids = await producer.GetPartitionIdsAsync();
        PartitionProperties empty = await producer.GetPartitionPropertiesAsync("1");
        await producer.SendAsync([SdkProducer.Event("a"), SdkProducer.Event("bc")], new SendEventOptions { PartitionId = "1" });
        PartitionProperties filled = await producer.GetPartitionPropertiesAsync("1");

        Assert.Equal("vitals", hub.Name);
        Assert.Equal(["0", "1", "2", "3"], hub.PartitionIds);
        Assert.Equal(["0", "1", "2", "3"], ids);
        Assert.True(empty.IsEmpty);
        Assert.False(filled.IsEmpty);
        Assert.Equal(1, filled.LastEnqueuedSequenceNumber);
        Assert.Equal("1", filled.LastEnqueuedOffsetString);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Batch_Is_Sized_By_The_Max_Message_Size_The_Peer_Sets_On_Attach()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { MaxMessageSize = 4096 });
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);

        using EventDataBatch batch = await producer.CreateBatchAsync();
        bool first = batch.TryAdd(new SdkEventData(new byte[3000]));
        bool second = batch.TryAdd(new SdkEventData(new byte[3000]));
        using EventDataBatch fresh = await producer.CreateBatchAsync();
        bool tooLarge = fresh.TryAdd(new SdkEventData(new byte[5000]));
        await producer.SendAsync(batch);

        Assert.Equal(4096, batch.MaximumSizeInBytes);
        Assert.True(first);
        Assert.False(second);
        Assert.False(tooLarge);
        EventHubsRecordedEvent stored = Assert.Single(await peer.WaitForEventsAsync(1, s_deadline));
        Assert.Equal(3000, stored.Body.Length);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Keyed_Batch_Lands_On_One_Partition_In_Order_With_Its_Content_Type_And_Properties()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);

        using EventDataBatch batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = "monitor-7" });
        for (int i = 0; i < 10; i++)
        {
            var e = new SdkEventData(Utf8($$"""{"hr":{{70 + i}}}""")) { ContentType = "application/json" };
            e.Properties["type"] = "heartrate";
            e.Properties["n"] = i;
            Assert.True(batch.TryAdd(e));
        }

        await producer.SendAsync(batch);
        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(10, s_deadline);

        Assert.Single(events.Select(e => e.PartitionId).Distinct());
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i, events[i].SequenceNumber);
            Assert.Equal($$"""{"hr":{{70 + i}}}""", Encoding.UTF8.GetString(events[i].Body));
            Assert.Equal("monitor-7", events[i].PartitionKey);
            Assert.Equal("application/json", events[i].ContentType);
            Assert.Equal("heartrate", events[i].Properties["type"]);
            Assert.Equal(i, events[i].Properties["n"]);
        }

        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Batch_For_A_Partition_Lands_There_And_Unkeyed_Sends_Spread()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 3 });
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);

        await producer.SendAsync([SdkProducer.Event("to two")], new SendEventOptions { PartitionId = "2" });
        for (int i = 0; i < 3; i++)
        {
            await producer.SendAsync([SdkProducer.Event($"any {i}")]);
        }

        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(4, s_deadline);

        Assert.Equal("2", events[0].PartitionId);
        Assert.Null(events[0].PartitionKey);
        Assert.Equal(["0", "1", "2"], events.Skip(1).Select(e => e.PartitionId).Order());
        Assert.Empty(peer.Faults);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
