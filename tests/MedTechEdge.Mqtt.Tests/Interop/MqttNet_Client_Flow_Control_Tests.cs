using System.Threading.Channels;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Protocol;
using MqttIngestResult = MedTechEdge.Mqtt.Server.MqttIngestResult;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// MQTT 5.0 limits negotiated with MQTTnet's client: Receive Maximum (§3.1.2.11.3, §3.2.2.3.3, §4.9), Maximum Packet
/// Size (§3.1.2.11.4, §3.2.2.3.6), Topic Aliases (§3.3.2.3.4) and Shared Subscriptions (§4.8.2).
/// </summary>
public sealed class MqttNet_Client_Flow_Control_Tests
{
    [Fact]
    public async Task Connack_Announces_The_Configured_Limits()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.ReceiveMaximum = 7;
            o.MaximumPacketSize = 4096;
            o.TopicAliasMaximum = 5;
        });

        await using MqttNetPeer client = await MqttNetPeer.ConnectAsync(broker.Port, "limits");

        Assert.Equal((ushort?)7, client.ConnectResult.ReceiveMaximum);
        Assert.Equal((uint?)4096, client.ConnectResult.MaximumPacketSize);
        Assert.Equal((ushort)5, client.ConnectResult.TopicAliasMaximum);
    }

    [Fact]
    public async Task Maximum_QoS_1_Is_Announced_And_Caps_The_Granted_QoS()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.MaximumQoS = MedTechEdge.Mqtt.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        await using MqttNetPeer client = await MqttNetPeer.ConnectAsync(broker.Port, "capped");

        MqttClientSubscribeResult result = await client.Client.SubscribeAsync("alarms/#", MqttQualityOfServiceLevel.ExactlyOnce);

        // §3.2.2.3.4: Maximum QoS in CONNACK; [MQTT-3.2.2-10] no grant above it.
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, client.ConnectResult.MaximumQoS);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(result.Items).ResultCode);
    }

    [Fact]
    public async Task Shared_Subscription_Gives_Each_Message_To_Exactly_One_Member()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer workerA = await MqttNetPeer.ConnectAsync(broker.Port, "worker-a");
        await using MqttNetPeer workerB = await MqttNetPeer.ConnectAsync(broker.Port, "worker-b");
        foreach (MqttNetPeer worker in new[] { workerA, workerB })
        {
            await worker.SubscribeAsync("$share/workers/jobs/#");
            await worker.SubscribeAsync("flush");
        }

        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "dispatcher");
        for (int i = 0; i < 10; i++)
        {
            await publisher.PublishAsync($"jobs/{i}", "job");
        }

        // "flush" goes to both (an ordinary subscription); each session delivers in order (§4.6), so once a worker has
        // it, every job routed to that worker has arrived too.
        await publisher.PublishAsync("flush", "end");
        List<string> a = [.. (await workerA.ReceiveUntilAsync("flush")).Select(m => m.Topic).Where(t => t != "flush")];
        List<string> b = [.. (await workerB.ReceiveUntilAsync("flush")).Select(m => m.Topic).Where(t => t != "flush")];

        Assert.Equal(10, a.Count + b.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"jobs/{i}"), a.Concat(b).Order(StringComparer.Ordinal));
        Assert.True(a.Count > 0 && b.Count > 0, $"Unbalanced: {a.Count} and {b.Count}.");
    }

    [Fact]
    public async Task Topic_Alias_Set_Once_Then_Used_With_An_Empty_Topic_Reaches_Subscribers()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer subscriber = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await subscriber.SubscribeAsync("devices/#");
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "spo2-1");

        // First PUBLISH sets alias 3 for the topic, the second carries only the alias and an empty topic name.
        await device.PublishAsync("devices/spo2-1/messages/events/", "98", configure: m => m.WithTopicAlias(3));
        MqttClientPublishResult second = await device.PublishAsync(string.Empty, "97", configure: m => m.WithTopicAlias(3));

        Assert.Equal(MqttClientPublishReasonCode.Success, second.ReasonCode);
        string[] payloads = [(await subscriber.ReceiveAsync()).Payload, (await subscriber.ReceiveAsync()).Payload];
        Assert.Equal(["98", "97"], payloads);
        await broker.Handler.WaitForAsync(2, Peers.Timeout);
        Assert.All(broker.Handler.Messages, m => Assert.Equal("devices/spo2-1/messages/events/", m.Topic));
    }

    [Fact]
    public async Task Topic_Alias_Can_Be_Mapped_Again_To_Another_Topic()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer subscriber = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await subscriber.SubscribeAsync("vitals/#");
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "multi-1");

        await device.PublishAsync("vitals/hr", "61", configure: m => m.WithTopicAlias(1));
        await device.PublishAsync("vitals/spo2", "98", configure: m => m.WithTopicAlias(1));
        await device.PublishAsync(string.Empty, "97", configure: m => m.WithTopicAlias(1));

        // §3.3.2.3.4: a PUBLISH with an alias and a non-empty topic replaces that alias's mapping.
        var received = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            MqttNetReceived m = await subscriber.ReceiveAsync();
            received.Add($"{m.Topic} {m.Payload}");
        }

        Assert.Equal(["vitals/hr 61", "vitals/spo2 98", "vitals/spo2 97"], received);
    }

    [Fact]
    public async Task Topic_Alias_Above_The_Maximum_Gets_Disconnect_0x94()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TopicAliasMaximum = 2);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "spo2-1");

        // [MQTT-3.3.2-9]: a Topic Alias above the server's Topic Alias Maximum is an error; DISCONNECT 0x94.
        Task<MqttClientPublishResult> publish = device.PublishAsync("devices/spo2-1/messages/events/", "98", configure: m => m.WithTopicAlias(3));

        Assert.Equal(MqttClientDisconnectReason.TopicAliasInvalid, (await device.DisconnectedAsync()).Reason);
        await Assert.ThrowsAnyAsync<Exception>(() => publish);
    }

    [Fact]
    public async Task Publish_Above_The_Broker_Maximum_Packet_Size_Gets_Disconnect_0x95()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.MaximumPacketSize = 1024);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "big");

        // MQTTnet does not enforce the server's limit itself, so the broker sees the oversized packet [MQTT-3.2.2-15].
        Task<MqttClientPublishResult> publish = device.PublishAsync("devices/big/messages/events/", new string('x', 2000));

        Assert.Equal(MqttClientDisconnectReason.PacketTooLarge, (await device.DisconnectedAsync()).Reason);
        await Assert.ThrowsAnyAsync<Exception>(() => publish);
        Assert.Empty(broker.Handler.Messages);
    }

    [Fact]
    public async Task Message_Larger_Than_The_Client_Maximum_Packet_Size_Is_Not_Sent_To_It()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer small = await MqttNetPeer.ConnectAsync(broker.Port, "small", configure: o => o.WithMaximumPacketSize(256));
        await small.SubscribeAsync("waveforms/#");
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ecg");

        await publisher.PublishAsync("waveforms/ecg", new string('x', 1000));
        await publisher.PublishAsync("waveforms/flush", "end");

        // [MQTT-3.1.2-25]: the server must not send a packet above the client's Maximum Packet Size; it drops the
        // message for that client. Deliveries are in order, so the marker arriving first proves the drop.
        Assert.Equal(["waveforms/flush"], (await small.ReceiveUntilAsync("waveforms/flush")).Select(m => m.Topic));
    }

    [Fact]
    public async Task Broker_Keeps_No_More_Than_The_Client_Receive_Maximum_Unacknowledged()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        var arrivals = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();
        int inFlight = 0;
        int maxInFlight = 0;
        await using MqttNetPeer slow = await MqttNetPeer.ConnectAsync(broker.Port, "slow", configure: o => o.WithReceiveMaximum(1));
        slow.Client.ApplicationMessageReceivedAsync += e =>
        {
            // Acknowledge later, by hand: until then the message counts against our Receive Maximum of 1.
            e.AutoAcknowledge = false;
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            arrivals.Writer.TryWrite(e);
            return Task.CompletedTask;
        };
        await slow.SubscribeAsync("pumps/#");
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "pump");
        for (int i = 0; i < 3; i++)
        {
            // Each PUBACK means the message is already in the slow client's outbox.
            await publisher.PublishAsync("pumps/1", $"dose-{i}");
        }

        var payloads = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            MqttApplicationMessageReceivedEventArgs e = await arrivals.Reader.ReadAsync().AsTask().WaitAsync(Peers.Timeout);
            payloads.Add(e.ApplicationMessage.ConvertPayloadToString());
            // A broker ignoring the limit would have written the next messages right behind this one; a PINGREQ
            // round trip lets them reach the handler before this one is acknowledged.
            await slow.Client.PingAsync();
            Interlocked.Decrement(ref inFlight);
            await e.AcknowledgeAsync(CancellationToken.None);
        }

        // §4.9: the server sends no more QoS 1/2 PUBLISHes than the client's Receive Maximum until it gets PUBACKs.
        Assert.Equal(1, Volatile.Read(ref maxInFlight));
        Assert.Equal(["dose-0", "dose-1", "dose-2"], payloads);
    }

    [Fact]
    public async Task Resent_And_Queued_Deliveries_On_Resumption_Respect_The_New_Receive_Maximum()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        Action<MqttClientOptionsBuilder> persistent = o => o.WithCleanStart(false).WithSessionExpiryInterval(60);
        MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "slow", configure: persistent);
        var held = Channel.CreateUnbounded<string>();
        first.Client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            held.Writer.TryWrite(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await first.SubscribeAsync("pumps/#");
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "pump");
        for (int i = 0; i < 3; i++)
        {
            await publisher.PublishAsync("pumps/1", $"dose-{i}");
        }

        // Three deliveries left unacknowledged, then two more queued while the client is away.
        for (int i = 0; i < 3; i++)
        {
            await held.Reader.ReadAsync().AsTask().WaitAsync(Peers.Timeout);
        }

        first.Abort();
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.ConnectedClients == 1), "the first connection never closed");
        for (int i = 3; i < 5; i++)
        {
            await publisher.PublishAsync("pumps/1", $"dose-{i}");
        }

        var arrivals = Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();
        int inFlight = 0;
        int maxInFlight = 0;
        IMqttClient back = new MqttClientFactory().CreateMqttClient();
        back.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            arrivals.Writer.TryWrite(e);
            return Task.CompletedTask;
        };
        MqttClientOptionsBuilder options = MqttNetPeer.Options(broker.Port, "slow", MQTTnet.Formatter.MqttProtocolVersion.V500).WithReceiveMaximum(1);
        persistent(options);
        using (back)
        {
            await back.ConnectAsync(options.Build());
            var payloads = new List<string>();
            for (int i = 0; i < 5; i++)
            {
                MqttApplicationMessageReceivedEventArgs e = await arrivals.Reader.ReadAsync().AsTask().WaitAsync(Peers.Timeout);
                payloads.Add(e.ApplicationMessage.ConvertPayloadToString());
                await back.PingAsync();
                Interlocked.Decrement(ref inFlight);
                await e.AcknowledgeAsync(CancellationToken.None);
            }

            // §4.9 applies to resends as well [MQTT-4.9.0-1]: the Receive Maximum of the new CONNECT bounds what the
            // server has unacknowledged, resent messages (§4.4) included; and the order is kept (§4.6).
            Assert.Equal(1, Volatile.Read(ref maxInFlight));
            Assert.Equal(["dose-0", "dose-1", "dose-2", "dose-3", "dose-4"], payloads);
        }
    }

    [Fact]
    public async Task Client_Exceeding_The_Broker_Receive_Maximum_Gets_Disconnect_0x93()
    {
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingIngestHandler { Behaviour = _ => new ValueTask<MqttIngestResult>(gate.Task) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.ReceiveMaximum = 2, handler);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "greedy");

        // MQTTnet does not hold back at the server's Receive Maximum, and the handler holds every PUBACK: the third
        // unacknowledged QoS 1 PUBLISH breaks the limit [MQTT-3.3.4-8].
        Task[] publishes = [.. Enumerable.Range(0, 3).Select(i => device.PublishAsync("devices/greedy/messages/events/", $"m{i}"))];

        Assert.Equal(MqttClientDisconnectReason.ReceiveMaximumExceeded, (await device.DisconnectedAsync()).Reason);
        gate.SetResult(MqttIngestResult.Accepted);
        foreach (Task publish in publishes)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => publish);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
