using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Producer;
using MedTechEdge.TestPeers.EventHubsAmqp;
using Microsoft.Extensions.Time.Testing;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>The Event Hubs AMQP peer as Microsoft's .NET consumer sees it: start positions, system properties, live reads.</summary>
public sealed class AmqpPeerConsumerTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Reading_From_Earliest_Returns_What_A_Producer_Sent_In_Order_With_Its_System_Values()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 2 });
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);
        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);
        using EventDataBatch batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = "monitor-3" });
        for (int i = 0; i < 5; i++)
        {
            var e = new SdkEventData(Encoding.UTF8.GetBytes($$"""{"hr":{{60 + i}}}""")) { ContentType = "application/json" };
            e.Properties["type"] = "heartrate";
            e.Properties["n"] = i;
            Assert.True(batch.TryAdd(e));
        }

        await producer.SendAsync(batch);
        IReadOnlyList<EventHubsRecordedEvent> stored = await peer.WaitForEventsAsync(5, s_deadline);
        string partition = stored[0].PartitionId;

        // A prefetch of 2 gives the link 2 credits at a time, so the peer runs out of credit and waits for more twice.
        List<SdkEventData> read = await SdkConsumer.ReadAsync(
            consumer, partition, EventPosition.Earliest, 5, s_deadline, new ReadEventOptions { PrefetchCount = 2 });

        Assert.Equal(5, read.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal($$"""{"hr":{{60 + i}}}""", read[i].EventBody.ToString());
            Assert.Equal(stored[i].SequenceNumber, read[i].SequenceNumber);
            Assert.Equal(stored[i].Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), read[i].OffsetString);
            Assert.Equal(stored[i].EnqueuedTime, read[i].EnqueuedTime);
            Assert.Equal("monitor-3", read[i].PartitionKey);
            Assert.Equal("application/json", read[i].ContentType);
            Assert.Equal("heartrate", read[i].Properties["type"]);
            Assert.Equal(i, read[i].Properties["n"]);
        }

        Assert.Equal(["amqp.annotation.x-opt-offset > -1"], peer.ReceiveFilters);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Sequence_Number_Start_Is_Inclusive_Or_Exclusive_As_Asked()
    {
        using var peer = new EventHubsAmqpPeer();
        for (int i = 0; i < 6; i++)
        {
            peer.Append(1, Encoding.UTF8.GetBytes($"e{i}"));
        }

        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);

        List<SdkEventData> inclusive = await SdkConsumer.ReadAsync(consumer, "1", EventPosition.FromSequenceNumber(3, isInclusive: true), 3, s_deadline);
        List<SdkEventData> exclusive = await SdkConsumer.ReadAsync(consumer, "1", EventPosition.FromSequenceNumber(3, isInclusive: false), 2, s_deadline);

        Assert.Equal(["e3", "e4", "e5"], inclusive.Select(e => e.EventBody.ToString()));
        Assert.Equal(["e4", "e5"], exclusive.Select(e => e.EventBody.ToString()));
        Assert.Equal(
            ["amqp.annotation.x-opt-sequence-number >= 3", "amqp.annotation.x-opt-sequence-number > 3"],
            peer.ReceiveFilters);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task An_Enqueued_Time_Start_Skips_The_Events_Before_It()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Clock = clock });
        for (int i = 0; i < 4; i++)
        {
            clock.SetUtcNow(start + TimeSpan.FromMinutes(i));
            peer.Append(0, Encoding.UTF8.GetBytes($"minute {i}"));
        }

        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);

        List<SdkEventData> read = await SdkConsumer.ReadAsync(
            consumer, "0", EventPosition.FromEnqueuedTime(start + TimeSpan.FromSeconds(90)), 2, s_deadline);

        Assert.Equal(["minute 2", "minute 3"], read.Select(e => e.EventBody.ToString()));
        long from = (start + TimeSpan.FromSeconds(90)).ToUnixTimeMilliseconds();
        Assert.Equal([$"amqp.annotation.x-opt-enqueued-time > {from}"], peer.ReceiveFilters);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Reading_From_Latest_Sees_Only_Events_Sent_After_The_Receiver_Attached()
    {
        using var peer = new EventHubsAmqpPeer();
        peer.Append(2, Encoding.UTF8.GetBytes("before"));
        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);
        using var cancel = new CancellationTokenSource(s_deadline);
        var read = new List<string>();

        // The first pass of the loop comes back empty after the wait, once the link is surely attached; only then send.
        var options = new ReadEventOptions { MaximumWaitTime = TimeSpan.FromMilliseconds(200) };
        await foreach (PartitionEvent e in consumer.ReadEventsFromPartitionAsync("2", EventPosition.Latest, options, cancel.Token))
        {
            if (e.Data is null)
            {
                if (read.Count == 0 && peer.ReceiveFilters.Count == 1 && peer.Events.Count == 1)
                {
                    await producer.SendAsync([SdkProducer.Event("after 1"), SdkProducer.Event("after 2")], new SendEventOptions { PartitionId = "2" });
                }

                continue;
            }

            read.Add(e.Data.EventBody.ToString());
            if (read.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["after 1", "after 2"], read);
        Assert.Equal(["amqp.annotation.x-opt-offset > @latest"], peer.ReceiveFilters);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Seeded_IoT_Hub_Annotations_Arrive_As_System_Properties()
    {
        using var peer = new EventHubsAmqpPeer();
        var enqueuedAtHub = new DateTime(2026, 12, 6, 21, 0, 0, DateTimeKind.Utc);
        peer.Append(
            3,
            Encoding.UTF8.GetBytes("""{"heartRate":72}"""),
            new Dictionary<string, object?> { ["source"] = "telemetry" },
            new Dictionary<string, object?>
            {
                ["iothub-connection-device-id"] = "monitor-42",
                ["iothub-enqueuedtime"] = enqueuedAtHub,
                ["x-opt-partition-key"] = "monitor-42",
            },
            "application/json");
        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);

        SdkEventData e = Assert.Single(await SdkConsumer.ReadAsync(consumer, "3", EventPosition.Earliest, 1, s_deadline));

        Assert.Equal("monitor-42", e.SystemProperties["iothub-connection-device-id"]);
        Assert.Equal(enqueuedAtHub, e.SystemProperties["iothub-enqueuedtime"]);
        Assert.Equal("monitor-42", e.PartitionKey);
        Assert.Equal(0L, e.SystemProperties["x-opt-sequence-number"]);
        Assert.Equal("telemetry", e.Properties["source"]);
        Assert.Equal("application/json", e.ContentType);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Partition_Properties_Follow_The_Events_As_They_Arrive()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Clock = clock });
        await using EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);

        PartitionProperties empty = await consumer.GetPartitionPropertiesAsync("2");
        peer.Append(2, new byte[10]);
        clock.SetUtcNow(start + TimeSpan.FromSeconds(5));
        peer.Append(2, new byte[7]);
        PartitionProperties filled = await consumer.GetPartitionPropertiesAsync("2");

        Assert.True(empty.IsEmpty);
        Assert.Equal(-1, empty.LastEnqueuedSequenceNumber);
        Assert.False(filled.IsEmpty);
        Assert.Equal(0, filled.BeginningSequenceNumber);
        Assert.Equal(1, filled.LastEnqueuedSequenceNumber);
        Assert.Equal("10", filled.LastEnqueuedOffsetString);
        Assert.Equal((start + TimeSpan.FromSeconds(5)).ToUnixTimeMilliseconds(), filled.LastEnqueuedTime.ToUnixTimeMilliseconds());
        Assert.Empty(peer.Faults);
    }
}
