using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers.EventHubsAmqp;
using static MedTechEdge.Pipeline.Tests.Sinks.EventHubSinkPeer;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>The EventHub sink against the Event Hubs AMQP peer, through Microsoft's producer: what arrives, and how.</summary>
public sealed class EventHubSinkTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Each_Record_Arrives_As_Json_With_Its_Kind_And_Device_Keyed_By_The_Device()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubSink sink = Sink(peer);

        SinkResult result = await sink.WriteAsync([Record("bed-1", "p1", "Patient"), Record("bed-1", "o1"), Record("pump-2", "o2")], CancellationToken.None);

        Assert.True(result.IsSuccessful);
        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(3, s_deadline);
        Assert.Equal(["p1", "o1", "o2"], events.Select(Id));
        Assert.All(events, e => Assert.Equal("application/json", e.ContentType));
        Assert.Equal(["Patient", "Observation", "Observation"], events.Select(e => e.Properties["kind"]));
        Assert.Equal(["bed-1", "bed-1", "pump-2"], events.Select(e => e.Properties["deviceId"]));
        Assert.Equal(["bed-1", "bed-1", "pump-2"], events.Select(e => e.PartitionKey));
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Interleaved_Devices_Each_Stay_In_One_Partition_In_Order()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 4 });
        await using EventHubSink sink = Sink(peer);
        string[] devices = ["a", "b", "c", "d", "e", "f"];
        var batch = new List<OutboxRecord>();
        for (int n = 0; n < 20; n++)
        {
            foreach (string device in devices)
            {
                batch.Add(Record(device, $"{device}-{n:00}"));
            }
        }

        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.True(result.IsSuccessful);
        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(batch.Count, s_deadline);
        // Batch I/O: one batch per device, not one send per record.
        Assert.Equal(devices.Length, peer.Deliveries);
        foreach (string device in devices)
        {
            List<EventHubsRecordedEvent> mine = events.Where(e => e.PartitionKey == device).ToList();
            Assert.Single(mine.Select(e => e.PartitionId).Distinct());
            Assert.Equal(Enumerable.Range(0, 20).Select(n => $"{device}-{n:00}"), mine.Select(Id));
            // Sequence numbers rise within the partition in the same order.
            Assert.Equal(mine.Select(e => e.SequenceNumber).Order(), mine.Select(e => e.SequenceNumber));
        }
    }

    [Fact]
    public async Task Records_Beyond_The_Hubs_Message_Size_Split_Into_Several_Batches_None_Lost()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { MaxMessageSize = 4096 });
        await using EventHubSink sink = Sink(peer);
        var batch = new List<OutboxRecord>();
        for (int n = 0; n < 30; n++)
        {
            batch.Add(Record("bed-1", $"o{n:00}", size: 500));
        }

        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.True(result.IsSuccessful);
        Assert.Equal(30, result.Succeeded.Count);
        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(30, s_deadline);
        Assert.Equal(batch.Select(r => r.ResourceId), events.Select(Id));
        // About 16 KB in 4 KB messages: several batches, each of several events.
        Assert.InRange(peer.Deliveries, 5, 10);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Cap_Below_The_Hubs_Limit_Sizes_The_Batches()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubSink capped = Sink(peer, maxBatchBytes: 2048);

        // Above the cap but far below the hub's 1 MB: refused by the cap, the others written.
        SinkResult result = await capped.WriteAsync([Record("bed-1", "small"), Record("bed-1", "big", size: 3000)], CancellationToken.None);

        Assert.Equal(["small"], result.Succeeded.Select(r => r.ResourceId));
        Assert.Equal(SinkFailureKind.InvalidInput, Assert.Single(result.Failed).Details.Kind);
    }

    [Fact]
    public async Task A_Record_Larger_Than_The_Hub_Allows_Is_Invalid_Input_And_The_Others_Are_Written()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { MaxMessageSize = 4096 });
        await using EventHubSink sink = Sink(peer);

        SinkResult result = await sink.WriteAsync(
            [Record("bed-1", "before"), Record("bed-1", "huge", size: 10_000), Record("bed-1", "after"), Record("pump-2", "other")],
            CancellationToken.None);

        SinkRecordFailure failure = Assert.Single(result.Failed);
        Assert.Equal("huge", failure.Record.ResourceId);
        Assert.Equal(SinkFailureKind.InvalidInput, failure.Details.Kind);
        Assert.Contains("larger than the event hub accepts", failure.Details.Message, StringComparison.Ordinal);
        Assert.Equal(["before", "after", "other"], result.Succeeded.Select(r => r.ResourceId));
        Assert.Equal(["before", "after", "other"], (await peer.WaitForEventsAsync(3, s_deadline)).Select(Id));
    }

    [Fact]
    public async Task A_Busy_Hub_Writes_Nothing_And_The_Records_Wait_Then_Arrive_In_Order()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubSink sink = Sink(peer);
        OutboxRecord[] batch = [Record("bed-1", "o1"), Record("bed-1", "o2"), Record("pump-2", "o3")];
        peer.RefuseSends(int.MaxValue);

        SinkResult busy = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.Empty(busy.Succeeded);
        Assert.Equal(SinkFailureKind.Throttled, busy.Failed[0].Details.Kind);
        Assert.Equal(SinkFailureKind.Throttled, busy.Failed[1].Details.Kind);
        Assert.Equal(SinkFailureKind.NotAttempted, busy.Failed[2].Details.Kind);
        Assert.Empty(peer.Events);

        peer.RefuseSends(0);
        SinkResult back = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.True(back.IsSuccessful);
        Assert.Equal(["o1", "o2", "o3"], (await peer.WaitForEventsAsync(3, s_deadline)).Select(Id));
    }

    [Fact]
    public async Task A_Hub_That_Went_Away_Is_Transient_And_The_Records_Arrive_When_It_Is_Back()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubSink sink = Sink(peer);
        Assert.True((await sink.WriteAsync([Record("bed-1", "o1")], CancellationToken.None)).IsSuccessful);
        peer.Stop();

        SinkResult down = await sink.WriteAsync([Record("bed-1", "o2"), Record("bed-1", "o3")], CancellationToken.None);

        Assert.Empty(down.Succeeded);
        Assert.Equal(SinkFailureKind.Transient, down.Failed[0].Details.Kind);
        Assert.True(down.Failed[1].Details.WaitsForever);

        peer.Start();
        SinkResult back = await sink.WriteAsync([Record("bed-1", "o2"), Record("bed-1", "o3")], CancellationToken.None);

        Assert.True(back.IsSuccessful);
        Assert.Equal(["o1", "o2", "o3"], (await peer.WaitForEventsAsync(3, s_deadline)).Select(Id));
    }

    [Fact]
    public async Task A_Wrong_Key_Is_Unauthorized_Shown_As_Configuration_Error_Without_The_Key()
    {
        using var peer = new EventHubsAmqpPeer();
        const string WrongKey = "d3Jvbmcta2V5LWZvci10ZXN0cw==";
        await using EventHubSink sink = Sink(MedTechEdge.EventHubs.EventHubsEndpoint.FromConnectionString(peer.ConnectionStringWithKey(WrongKey), null));

        SinkResult result = await sink.WriteAsync([Record("bed-1", "o1"), Record("pump-2", "o2")], CancellationToken.None);

        Assert.Empty(result.Succeeded);
        Assert.Equal(SinkFailureKind.Unauthorized, result.Failed[0].Details.Kind);
        Assert.Equal(SinkFailureKind.NotAttempted, result.Failed[1].Details.Kind);
        Assert.Contains("signature does not match", sink.ConfigurationError, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, sink.ConfigurationError, StringComparison.Ordinal);
        Assert.Empty(peer.Events);
    }

    [Fact]
    public async Task A_Token_For_Another_Hub_Is_Unauthorized_And_A_Later_Success_Clears_The_Error()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Hub = "vitals" });
        string otherHub = peer.ConnectionString.Replace("EntityPath=vitals", "EntityPath=other", StringComparison.Ordinal);
        await using EventHubSink wrong = Sink(MedTechEdge.EventHubs.EventHubsEndpoint.FromConnectionString(otherHub, null));
        await using EventHubSink right = Sink(peer);

        SinkResult refused = await wrong.WriteAsync([Record("bed-1", "o1")], CancellationToken.None);
        SinkResult accepted = await right.WriteAsync([Record("bed-1", "o1")], CancellationToken.None);

        Assert.Equal(SinkFailureKind.Unauthorized, Assert.Single(refused.Failed).Details.Kind);
        Assert.Contains("is not the hub", wrong.ConfigurationError, StringComparison.Ordinal);
        Assert.True(accepted.IsSuccessful);
        Assert.Null(right.ConfigurationError);
        Assert.Equal("o1", Id(Assert.Single(await peer.WaitForEventsAsync(1, s_deadline))));
    }
}
