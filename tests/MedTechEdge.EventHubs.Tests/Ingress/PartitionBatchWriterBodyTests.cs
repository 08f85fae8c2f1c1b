using Azure.Core.Amqp;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>Events whose AMQP body is not a Data section: the SDK cannot give their body as bytes.</summary>
public sealed class PartitionBatchWriterBodyTests
{
    [Fact]
    public async Task An_Event_With_An_Amqp_Value_Body_Becomes_A_Dead_Letter_And_Does_Not_Fault_The_Partition()
    {
        await using var store = new IngressTestStore();
        var settings = new EventHubIngressSettings();
        var metrics = new EventHubIngressMetrics();
        using var letters = new IngressDeadLetters(store.Store);
        var writer = new PartitionBatchWriter(store.Inbox, letters, settings, metrics, TimeProvider.System, NullLogger.Instance);
        var events = new List<SdkEventData>
        {
            new(new AmqpAnnotatedMessage(AmqpMessageBody.FromValue("{\"n\":0}"))),
            new(BinaryData.FromString("{\"n\":1}")),
        };

        int stored = await writer.StoreAsync(events, "0", "vitals/Partitions/0", _ => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(1, stored);
        Assert.Single(store.InboxMessages());
        DeadLetter letter = Assert.Single(store.DeadLetters());
        Assert.Equal(DeadLetterKind.InvalidDeviceMessage, letter.Kind);
        Assert.Contains("Value", letter.Error, StringComparison.Ordinal);
        Assert.Equal(0, metrics.Partition("0").DeadLetters);
    }
}
