using System.Collections.Concurrent;
using System.Text;
using SdkEventData = Azure.Messaging.EventHubs.EventData;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>
/// End to end with the SDK's own processor: <see cref="PluggableCheckpointStoreEventProcessor{TPartition}"/> over the
/// module's <see cref="BlobCheckpointStore"/> in Azurite, reading the in-process Event Hubs AMQP peer. The SDK's load
/// balancing, not a test, decides who owns what; the store only has to keep its promises.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobCheckpointProcessorTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_Processors_Balance_Four_Partitions_Two_And_Two_And_A_Successor_Resumes_After_Their_Checkpoints()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 4 });
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        for (int partition = 0; partition < 4; partition++)
        {
            peer.Append(partition, Encoding.UTF8.GetBytes($"first-{partition}"));
        }

        var a = new CheckpointingProcessor(scope.NewStore(), peer.ConnectionString, "processor-a");
        var b = new CheckpointingProcessor(scope.NewStore(), peer.ConnectionString, "processor-b");
        await a.StartProcessingAsync();
        await b.StartProcessingAsync();
        try
        {
            await WaitUntilAsync(async () =>
            {
                var owners = (await scope.NewStore().ListOwnershipAsync(a.FullyQualifiedNamespace, a.EventHubName, a.ConsumerGroup, CancellationToken.None))
                    .GroupBy(o => o.OwnerIdentifier).ToDictionary(g => g.Key, g => g.Count());
                return owners.GetValueOrDefault("processor-a") == 2 && owners.GetValueOrDefault("processor-b") == 2;
            }, "ownership balanced 2/2 in the blob store");
            await WaitUntilAsync(() => Task.FromResult(a.Bodies.Concat(b.Bodies).Distinct().Count() == 4), "every first event processed");
            await WaitUntilAsync(async () => await CountCheckpointsAsync(scope, a) == 4, "a checkpoint per partition");
        }
        finally
        {
            await a.StopProcessingAsync();
            await b.StopProcessingAsync();
        }

        // A successor starts from the checkpoints: it sees only what arrived after them.
        peer.Append(0, Encoding.UTF8.GetBytes("second-0"));
        var c = new CheckpointingProcessor(scope.NewStore(), peer.ConnectionString, "processor-c");
        await c.StartProcessingAsync();
        try
        {
            await WaitUntilAsync(() => Task.FromResult(c.Bodies.Contains("second-0")), "the successor reads the new event");
            Assert.DoesNotContain(c.Bodies, body => body.StartsWith("first-", StringComparison.Ordinal));
            // It positioned by the checkpoints' offsets, as the SDK's store would have it.
            Assert.Contains(peer.ReceiveFilters, f => f.StartsWith("amqp.annotation.x-opt-offset >", StringComparison.Ordinal) && !f.EndsWith("-1", StringComparison.Ordinal) && !f.EndsWith("@latest", StringComparison.Ordinal));
        }
        finally
        {
            await c.StopProcessingAsync();
        }

        Exception[] errors = [.. a.Errors.Concat(b.Errors).Concat(c.Errors).Where(e => e is not OperationCanceledException)];
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        Assert.Empty(peer.Faults);
    }

    private static async Task<int> CountCheckpointsAsync(CheckpointScope scope, CheckpointingProcessor processor)
    {
        int count = 0;
        for (int partition = 0; partition < 4; partition++)
        {
            if (await scope.NewStore().GetCheckpointAsync(processor.FullyQualifiedNamespace, processor.EventHubName, processor.ConsumerGroup,
                    partition.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None) is not null)
            {
                count++;
            }
        }

        return count;
    }

    // The SDK reaches these in its own time (load-balancing cycles of 200 ms here).
    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, s_deadline, what);

    /// <summary>A processor that records what it read and checkpoints after each batch, as the ingress will.</summary>
    private sealed class CheckpointingProcessor(CheckpointStore store, string connectionString, string identifier)
        : PluggableCheckpointStoreEventProcessor<EventProcessorPartition>(store, 10, "$Default", connectionString, new EventProcessorOptions
        {
            Identifier = identifier,
            LoadBalancingUpdateInterval = TimeSpan.FromMilliseconds(200),
            PartitionOwnershipExpirationInterval = TimeSpan.FromSeconds(5),
            MaximumWaitTime = TimeSpan.FromMilliseconds(500),
        })
    {
        public ConcurrentBag<string> Bodies { get; } = [];

        public ConcurrentBag<Exception> Errors { get; } = [];

        protected override async Task OnProcessingEventBatchAsync(IEnumerable<SdkEventData> events, EventProcessorPartition partition, CancellationToken cancellationToken)
        {
            SdkEventData? last = null;
            foreach (SdkEventData data in events)
            {
                Bodies.Add(data.EventBody.ToString());
                last = data;
            }

            if (last is null)
            {
                return;
            }

            try
            {
                await UpdateCheckpointAsync(partition.PartitionId, CheckpointPosition.FromEvent(last), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The partition moved to the other processor while balancing: its checkpoint is the new owner's now.
            }
        }

        protected override Task OnProcessingErrorAsync(Exception exception, EventProcessorPartition partition, string operationDescription, CancellationToken cancellationToken)
        {
            Errors.Add(exception);
            return Task.CompletedTask;
        }
    }
}
