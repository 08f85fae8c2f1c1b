using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using MedTechEdge.EventHubs;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>An <see cref="EventHubSink"/> on a producer aimed at an Event Hubs AMQP peer, with retries short enough for tests.</summary>
internal static class EventHubSinkPeer
{
    public static EventHubSink Sink(EventHubsEndpoint endpoint, long? maxBatchBytes = null) =>
        new(endpoint.CreateProducer(new EventHubProducerClientOptions
        {
            RetryOptions = new EventHubsRetryOptions
            {
                Mode = EventHubsRetryMode.Fixed,
                MaximumRetries = 1,
                Delay = TimeSpan.FromMilliseconds(20),
                MaximumDelay = TimeSpan.FromMilliseconds(100),
                TryTimeout = TimeSpan.FromSeconds(5),
            },
        }), maxBatchBytes);

    public static EventHubSink Sink(EventHubsAmqpPeer peer, long? maxBatchBytes = null) =>
        Sink(EventHubsEndpoint.FromConnectionString(peer.ConnectionString, null), maxBatchBytes);

    /// <summary>An outbox record of <paramref name="device"/> whose body is a JSON object naming <paramref name="id"/>, padded to about <paramref name="size"/> bytes.</summary>
    public static OutboxRecord Record(string device, string id, string type = "Observation", int size = 0)
    {
        string padding = size > 0 ? new string('x', size) : "";
        return new OutboxRecord
        {
            DeviceId = device,
            ResourceType = type,
            ResourceId = id,
            Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}","pad":"{{padding}}"}"""),
        };
    }

    /// <summary>The id in a recorded event's JSON body.</summary>
    public static string Id(EventHubsRecordedEvent recorded) =>
        System.Text.Json.JsonDocument.Parse(recorded.Body).RootElement.GetProperty("id").GetString()!;
}
