using System.Collections.Concurrent;
using System.Diagnostics;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>What the subscriber's handler saw, with the payload copied.</summary>
internal sealed record SubscribedMessage(string Topic, byte[] Payload, string DeviceId, MqttQualityOfServiceLevel QoS, IReadOnlyList<MqttUserProperty> UserProperties)
{
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);
}

/// <summary>
/// Records every call; an optional behaviour decides the result and gets the cancellation token, so a test can block
/// one message on a <see cref="TaskCompletionSource"/> or refuse it.
/// </summary>
internal sealed class SubscriberTestHandler : IMqttIngestHandler
{
    private readonly ConcurrentQueue<SubscribedMessage> _messages = new();

    public Func<SubscribedMessage, CancellationToken, Task<MqttIngestResult>>? Behaviour { get; set; }

    public IReadOnlyCollection<SubscribedMessage> Messages => _messages;

    public IEnumerable<string> PayloadTexts => _messages.Select(m => m.PayloadText);

    public async ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        var copy = new SubscribedMessage(message.Topic, message.Payload.ToArray(), message.DeviceId, message.QoS, message.UserProperties);
        _messages.Enqueue(copy);
        return Behaviour is null ? MqttIngestResult.Accepted : await Behaviour(copy, cancellationToken);
    }
}

internal static class SubscriberTestSupport
{
    public static MqttSubscriberOptions Options(int port, string clientId, MqttProtocolVersion version, params string[] filters)
    {
        var options = new MqttSubscriberOptions
        {
            Port = port,
            ClientId = clientId,
            ProtocolVersion = version,
            FirstReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromSeconds(5),
        };
        if (filters.Length > 0)
        {
            options.TopicFilters.Clear();
            foreach (string filter in filters)
            {
                options.TopicFilters.Add(filter);
            }
        }

        return options;
    }

    public static async Task<MqttSubscriber> StartAsync(MqttSubscriberOptions options, IMqttIngestHandler handler)
    {
        var subscriber = new MqttSubscriber(options, handler);
        await subscriber.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => subscriber.IsConnected, "the subscriber never connected");
        return subscriber;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < (timeout ?? Peers.Timeout), $"Timed out: {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>mosquitto_pub at QoS 1; true when it exited 0, i.e. it got its PUBACK.</summary>
    public static async Task<bool> PublishAsync(int port, string version, string topic, string payload, params string[] extra)
    {
        var arguments = new List<string> { "-h", "127.0.0.1", "-p", Peers.Text(port), "-V", version, "-q", "1", "-t", topic, "-m", payload };
        arguments.AddRange(extra);
        MosquittoClientResult result = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(10), [.. arguments]);
        return result.ExitCode == 0;
    }

    public static string VersionArgument(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 ? "mqttv5" : "mqttv311";
}
