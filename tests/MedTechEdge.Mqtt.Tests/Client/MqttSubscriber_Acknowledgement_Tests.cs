using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.TestPeers;
using static MedTechEdge.Mqtt.Tests.Client.SubscriberTestSupport;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>
/// Acknowledge after durable commit: PUBACK only once the handler completed, in receive order (MQTT 5.0 §4.6), and
/// what was never acknowledged comes again with DUP after a reconnect (MQTT 5.0 §4.4). Mosquitto keeps the sessions.
/// </summary>
public sealed class MqttSubscriber_Acknowledgement_Tests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Ack_Is_Withheld_While_The_Handler_Runs_And_Mosquitto_Redelivers_After_Reconnect(MqttProtocolVersion version)
    {
        string clientId = $"withheld-{version}";
        string topic = $"withheld/{version}";
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new SubscriberTestHandler
        {
            Behaviour = (m, ct) => m.PayloadText == "first" ? gate.Task.WaitAsync(ct) : Task.FromResult(MqttIngestResult.Accepted),
        };
        MqttSubscriber first = await StartAsync(Options(mosquitto.Port, clientId, version, topic), blocking);
        try
        {
            Assert.True(await PublishAsync(mosquitto.Port, VersionArgument(version), topic, "first"));
            Assert.True(await PublishAsync(mosquitto.Port, VersionArgument(version), topic, "second"));

            // Both calls are made at once; "second" completes but its ack waits behind "first" [MQTT-4.6.0-2].
            await WaitUntilAsync(() => blocking.Messages.Count == 2, "both messages at the handler");
            // Real time on purpose: an acknowledgement that must not come gets 300 ms to be counted.
            await Task.Delay(300);
            Assert.Equal(0, first.Statistics.MessagesAcknowledged);
        }
        finally
        {
            // Stops without waiting: the blocked call is cancelled, nothing is acknowledged.
            await first.DisposeAsync();
        }

        Assert.Equal(0, first.Statistics.MessagesAcknowledged);
        var recording = new SubscriberTestHandler();
        await using MqttSubscriber second = await StartAsync(Options(mosquitto.Port, clientId, version, topic), recording);

        await WaitUntilAsync(() => second.Statistics.MessagesAcknowledged == 2, "the redelivered messages acknowledged");
        Assert.Equal(["first", "second"], recording.PayloadTexts);
        Assert.Equal(2, second.Statistics.MessagesRedelivered);
    }

    [Fact]
    public async Task Releasing_The_Handler_Sends_The_Acks_In_Receive_Order_And_Nothing_Comes_Again()
    {
        const string ClientId = "released";
        const string Topic = "released/x";
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new SubscriberTestHandler
        {
            Behaviour = (m, ct) => m.PayloadText == "m0" ? gate.Task.WaitAsync(ct) : Task.FromResult(MqttIngestResult.Accepted),
        };
        await using (MqttSubscriber subscriber = await StartAsync(Options(mosquitto.Port, ClientId, MqttProtocolVersion.V500, Topic), handler))
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.True(await PublishAsync(mosquitto.Port, "mqttv5", Topic, $"m{i}"));
            }

            await WaitUntilAsync(() => handler.Messages.Count == 5, "five messages at the handler");
            Assert.Equal(0, subscriber.Statistics.MessagesAcknowledged);

            gate.SetResult(MqttIngestResult.Accepted);

            await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 5, "five acknowledgements");
            await subscriber.StopAsync(CancellationToken.None);
        }

        var again = new SubscriberTestHandler();
        await using MqttSubscriber resumed = await StartAsync(Options(mosquitto.Port, ClientId, MqttProtocolVersion.V500, Topic), again);
        Assert.True(await PublishAsync(mosquitto.Port, "mqttv5", Topic, "after"));
        await WaitUntilAsync(() => resumed.Statistics.MessagesAcknowledged == 1, "the new message");
        Assert.Equal(["after"], again.PayloadTexts);
        Assert.Equal(0, resumed.Statistics.MessagesRedelivered);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V500, false)]
    [InlineData(MqttProtocolVersion.V500, true)]
    public async Task A_Failed_Handler_Call_Is_Not_Acknowledged_And_Comes_Again_On_The_Next_Connection(MqttProtocolVersion version, bool throws)
    {
        string topic = $"failing/{version}/{throws}";
        int calls = 0;
        var handler = new SubscriberTestHandler
        {
            Behaviour = (m, _) =>
            {
                if (m.PayloadText != "poison-once" || Interlocked.Increment(ref calls) > 1)
                {
                    return Task.FromResult(MqttIngestResult.Accepted);
                }

                return throws
                    ? Task.FromException<MqttIngestResult>(new InvalidDataException("store offline"))
                    : Task.FromResult(MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded));
            },
        };
        await using MqttSubscriber subscriber = await StartAsync(Options(mosquitto.Port, $"failing-{version}-{throws}", version, topic), handler);

        Assert.True(await PublishAsync(mosquitto.Port, VersionArgument(version), topic, "poison-once"));

        await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 1, "the redelivered message acknowledged");
        Assert.Equal(["poison-once", "poison-once"], handler.PayloadTexts);
        Assert.Equal(1, subscriber.Statistics.HandlerFailures);
        Assert.Equal(1, subscriber.Statistics.MessagesRedelivered);
        Assert.True(subscriber.Statistics.Reconnects >= 1);
    }

    [Fact]
    public async Task Stop_Waits_For_Handler_Calls_In_Progress_And_Acknowledges_Them()
    {
        const string Topic = "graceful/x";
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new SubscriberTestHandler { Behaviour = (_, ct) => gate.Task.WaitAsync(ct) };
        MqttSubscriberOptions options = Options(mosquitto.Port, "graceful", MqttProtocolVersion.V500, Topic);
        await using MqttSubscriber subscriber = await StartAsync(options, handler);
        Assert.True(await PublishAsync(mosquitto.Port, "mqttv5", Topic, "in-progress"));
        await WaitUntilAsync(() => handler.Messages.Count == 1, "the message at the handler");

        Task stopping = subscriber.StopAsync(CancellationToken.None);
        // Real time on purpose: a stop that does not wait for the handler gets 200 ms to finish early.
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        gate.SetResult(MqttIngestResult.Accepted);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, subscriber.Statistics.MessagesAcknowledged);
        var again = new SubscriberTestHandler();
        await using MqttSubscriber resumed = await StartAsync(options, again);
        // Real time on purpose: Mosquitto would redeliver an unacknowledged message right after the resume; it gets 500 ms.
        await Task.Delay(500);
        Assert.Empty(again.Messages);
    }
}
