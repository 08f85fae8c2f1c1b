using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.Logging.Abstractions;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>The inbox writer stops while the processor still runs: the batch is held, never half-stored and passed.</summary>
public sealed class PartitionBatchWriterStoppingTests
{
    [Fact]
    public async Task When_The_Inbox_Writer_Is_Stopping_The_Batch_Is_Held_Until_The_Partition_Stops()
    {
        await using var store = new IngressTestStore();
        var settings = new EventHubIngressSettings { MaxEventBytes = 4 };
        var clock = new TestClock(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        using var letters = new IngressDeadLetters(store.Store);
        var writer = new PartitionBatchWriter(store.Inbox, letters, settings, new EventHubIngressMetrics(), clock, NullLogger.Instance);
        await store.Inbox.DisposeAsync();
        // The first event is over MaxEventBytes, a dead letter the store takes; the second needs the stopped inbox.
        var events = new List<SdkEventData> { new(BinaryData.FromString("{\"n\":0}")), new(BinaryData.FromString("{}")) };
        using var partition = new CancellationTokenSource();

        Task<int> storing = writer.StoreAsync(events, "0", "vitals/Partitions/0", _ => Task.CompletedTask, partition.Token);
        // Held: the writer pauses on its clock (which never moves here) instead of returning. Returning would let the SDK
        // hand the next batch while the second event is in no store, and that batch's checkpoint would pass it.
        Task paused = clock.WaitForTimerAsync(settings.FirstRetryPause, TimeSpan.FromSeconds(10));
        await Task.WhenAny(paused, storing);
        Assert.False(storing.IsCompleted, "the batch was returned half-stored");
        await paused;
        await partition.CancelAsync();
        Assert.Equal(0, await storing.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
