using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>Microsoft's consumer clients aimed at a peer, with retries short enough for tests, and a bounded read.</summary>
internal static class SdkConsumer
{
    public static EventHubsRetryOptions Retries(int maximumRetries = 2) => new()
    {
        Mode = EventHubsRetryMode.Fixed,
        MaximumRetries = maximumRetries,
        Delay = TimeSpan.FromMilliseconds(20),
        MaximumDelay = TimeSpan.FromMilliseconds(100),
        TryTimeout = TimeSpan.FromSeconds(5),
    };

    public static EventHubConsumerClient Create(string connectionString, string consumerGroup = EventHubConsumerClient.DefaultConsumerGroupName, int maximumRetries = 2) =>
        new(consumerGroup, connectionString, new EventHubConsumerClientOptions { RetryOptions = Retries(maximumRetries) });

    public static PartitionReceiver Receiver(string connectionString, string partitionId, EventPosition start, long? ownerLevel, int maximumRetries = 2) =>
        new(EventHubConsumerClient.DefaultConsumerGroupName, partitionId, start, connectionString, new PartitionReceiverOptions
        {
            OwnerLevel = ownerLevel,
            RetryOptions = Retries(maximumRetries),
        });

    /// <summary>Reads <paramref name="count"/> events from one partition, or throws <see cref="OperationCanceledException"/> at the deadline.</summary>
    public static async Task<List<Azure.Messaging.EventHubs.EventData>> ReadAsync(
        EventHubConsumerClient consumer, string partitionId, EventPosition start, int count, TimeSpan deadline, ReadEventOptions? options = null)
    {
        using var cancel = new CancellationTokenSource(deadline);
        var read = new List<Azure.Messaging.EventHubs.EventData>();
        await foreach (PartitionEvent e in consumer.ReadEventsFromPartitionAsync(partitionId, start, options ?? new ReadEventOptions(), cancel.Token))
        {
            read.Add(e.Data);
            if (read.Count == count)
            {
                break;
            }
        }

        return read;
    }
}
