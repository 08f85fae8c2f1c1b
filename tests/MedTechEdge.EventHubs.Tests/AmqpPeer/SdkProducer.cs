using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>Microsoft's producer client aimed at a peer, with retries short enough for tests.</summary>
internal static class SdkProducer
{
    /// <summary>An SDK event whose body is <paramref name="text"/> in UTF-8.</summary>
    /// <remarks>Named in full: inside MedTechEdge.EventHubs, a bare <c>EventData</c> is the module's own type.</remarks>
    public static Azure.Messaging.EventHubs.EventData Event(string text) => new(Encoding.UTF8.GetBytes(text));

    public static EventHubProducerClient Create(string connectionString, int maximumRetries = 3) =>
        new(connectionString, new EventHubProducerClientOptions
        {
            RetryOptions = new EventHubsRetryOptions
            {
                Mode = EventHubsRetryMode.Fixed,
                MaximumRetries = maximumRetries,
                Delay = TimeSpan.FromMilliseconds(20),
                MaximumDelay = TimeSpan.FromMilliseconds(100),
                TryTimeout = TimeSpan.FromSeconds(5),
            },
        });
}
