using System.Collections.Concurrent;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.TestPeers;
using Xunit.Abstractions;
using static MedTechEdge.Mqtt.Tests.Client.SubscriberTestSupport;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>
/// Reconnect and resume against a Mosquitto that goes away: backoff while it is down, and a restart in the middle of
/// a stream that loses nothing mosquitto_pub got a PUBACK for (the broker persists the session, MQTT 5.0 §4.1).
/// </summary>
public sealed class MqttSubscriber_Reconnect_Tests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Broker_Restart_In_The_Middle_Of_A_Stream_Loses_No_Acknowledged_Message(MqttProtocolVersion version)
    {
        const int Publishers = 4;
        const int MessagesEach = 30;
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync();
        // Commit latency (real time on purpose), so that messages are with the handler, unacknowledged, when the broker goes.
        var handler = new SubscriberTestHandler { Behaviour = async (_, ct) => { await Task.Delay(20, ct); return MqttIngestResult.Accepted; } };
        await using MqttSubscriber subscriber = await StartAsync(Options(broker.Port, $"restart-{version}", version, "stream/#"), handler);

        var acknowledged = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<string>();
        Task[] streams = [.. Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < MessagesEach; i++)
            {
                string payload = $"p{p}-m{i}";
                // Exit code 0 means mosquitto_pub got its PUBACK: from then on the message is owed to the handler.
                if (await PublishAsync(broker.Port, VersionArgument(version), $"stream/dev-{p}/telemetry", payload))
                {
                    acknowledged.Add(payload);
                }
                else
                {
                    failed.Add(payload);
                    // The broker is down: pace the next mosquitto_pub process instead of spinning.
                    await Task.Delay(100);
                }
            }
        }))];
        await WaitUntilAsync(() => acknowledged.Count >= Publishers * MessagesEach / 3, "a third of the stream");
        await broker.StopAsync();
        // A real outage of the Mosquitto process, long enough that publishes fail and the subscriber reconnects.
        await Task.Delay(300);
        await broker.StartAsync();
        await Task.WhenAll(streams);

        Assert.True(acknowledged.Count >= Publishers * MessagesEach / 2, $"Only {acknowledged.Count} publishes were acknowledged. Broker log: {broker.Log}");
        await WaitUntilAsync(() => acknowledged.All(handler.PayloadTexts.Contains), "every acknowledged message at the handler", TimeSpan.FromSeconds(30));
        Assert.True(subscriber.Statistics.Reconnects >= 1, "no reconnect");
        await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged >= acknowledged.Count, "the subscriber's acknowledgements");
        MqttSubscriberStatistics stats = subscriber.Statistics;
        output.WriteLine($"published {acknowledged.Count} acknowledged, {failed.Count} failed; subscriber received {stats.MessagesReceived}, redelivered {stats.MessagesRedelivered}, acknowledged {stats.MessagesAcknowledged}, reconnects {stats.Reconnects}, connect failures {stats.ConnectFailures}");
    }

    [Fact]
    public async Task Messages_Queued_While_The_Subscriber_Is_Away_Arrive_After_A_Broker_Restart()
    {
        const string Topic = "queued/dev-2/telemetry";
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync();
        MqttSubscriberOptions options = Options(broker.Port, "queued", MqttProtocolVersion.V500, "queued/#");
        await using (MqttSubscriber first = await StartAsync(options, new SubscriberTestHandler()))
        {
            await first.StopAsync(CancellationToken.None);
        }

        Assert.True(await PublishAsync(broker.Port, "mqttv5", Topic, "queued-1"));
        Assert.True(await PublishAsync(broker.Port, "mqttv5", Topic, "queued-2"));
        await broker.StopAsync();
        await broker.StartAsync();

        var handler = new SubscriberTestHandler();
        await using MqttSubscriber resumed = await StartAsync(options, handler);
        await WaitUntilAsync(() => resumed.Statistics.MessagesAcknowledged == 2, "the queued messages");
        Assert.Equal(["queued-1", "queued-2"], handler.PayloadTexts);
    }

    [Fact]
    public async Task While_The_Broker_Is_Down_Retries_Back_Off_And_The_Subscriber_Connects_When_It_Returns()
    {
        int port = MosquittoPorts.GetFree();
        var clock = new TestClock();
        MqttSubscriberOptions options = Options(port, "backoff", MqttProtocolVersion.V500, "backoff/#");
        options.FirstReconnectDelay = TimeSpan.FromMilliseconds(50);
        options.MaxReconnectDelay = TimeSpan.FromMilliseconds(400);
        options.TimeProvider = clock;
        var delays = new ConcurrentQueue<TimeSpan>();
        var handler = new SubscriberTestHandler();
        await using var subscriber = new MqttSubscriber(options, handler, logger: null, new Random(42)) { ReconnectDelayObserver = delays.Enqueue };
        var ceilings = new MqttReconnectBackoff(options.FirstReconnectDelay, options.MaxReconnectDelay, new Random(0));

        await subscriber.StartAsync(CancellationToken.None);

        // Each failed attempt waits its delay on the clock: no second attempt comes before the test moves it.
        TimeSpan delay = TimeSpan.Zero;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            clock.Advance(delay);
            await WaitUntilAsync(() => delays.Count == attempt + 1, $"reconnect delay {attempt + 1}");
            delay = delays.ToArray()[attempt];
            Assert.InRange(delay, TimeSpan.Zero, ceilings.Ceiling(attempt));
            Assert.Equal(attempt + 1, subscriber.Statistics.ConnectFailures);
            if (delay > TimeSpan.Zero)
            {
                await clock.WaitForTimerAsync(delay);
            }
        }

        Assert.Equal(0, subscriber.Statistics.Connects);
        Assert.False(subscriber.IsConnected);

        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(port);
        clock.Advance(delay);
        await WaitUntilAsync(() => subscriber.IsConnected, "the subscriber connected to the returned broker");
        Assert.True(await PublishAsync(port, "mqttv5", "backoff/a", "after-outage"));
        await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 1, "the message after the outage");
        Assert.Equal(["after-outage"], handler.PayloadTexts);
        Assert.Equal(1, subscriber.Statistics.Connects);
        Assert.Equal(0, subscriber.Statistics.Reconnects);
    }
}
