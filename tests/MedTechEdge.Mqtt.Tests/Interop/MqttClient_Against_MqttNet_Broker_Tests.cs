using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet.Server;
using MqttNetConnectReasonCode = MQTTnet.Protocol.MqttConnectReasonCode;
using MqttNetDisconnectReasonCode = MQTTnet.Protocol.MqttDisconnectReasonCode;
using MqttNetMessageBuilder = MQTTnet.MqttApplicationMessageBuilder;
using MqttNetQoS = MQTTnet.Protocol.MqttQualityOfServiceLevel;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// Our <see cref="MqttClient"/> and <see cref="MqttSubscriber"/> against MQTTnet's broker: CONNECT and CONNACK
/// (MQTT 5.0 §3.1, §3.2), PUBLISH at each QoS both ways (§4.3), session resumption (§4.1) and reconnecting after the
/// broker drops the connection.
/// </summary>
public sealed class MqttClient_Against_MqttNet_Broker_Tests
{
    public static TheoryData<MqttProtocolVersion, MqttQualityOfServiceLevel> VersionsAndQoS { get; } = new()
    {
        { MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtMostOnce },
        { MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtLeastOnce },
        { MqttProtocolVersion.V311, MqttQualityOfServiceLevel.ExactlyOnce },
        { MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtMostOnce },
        { MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtLeastOnce },
        { MqttProtocolVersion.V500, MqttQualityOfServiceLevel.ExactlyOnce },
    };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connects_With_The_Credentials_MqttNet_Checks(MqttProtocolVersion version)
    {
        var seen = new TaskCompletionSource<(string ClientId, string UserName, string Version)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server =>
        {
            server.ValidatingConnectionAsync += CheckPassword;
            server.ClientConnectedAsync += e =>
            {
                seen.TrySetResult((e.ClientId, e.UserName, e.ProtocolVersion.ToString()));
                return Task.CompletedTask;
            };
        });

        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "medtechedge", version, o => (o.Username, o.Password) = ("monitor", "pw-right"));

        Assert.True(client.IsConnected);
        Assert.Equal(("medtechedge", "monitor", version.ToString()), await seen.Task.WaitAsync(Peers.Timeout));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Wrong_Password_Refused_By_MqttNet_Is_Reported_As_Bad_User_Name_Or_Password(MqttProtocolVersion version)
    {
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server => server.ValidatingConnectionAsync += CheckPassword);
        await using var client = new MqttClient();

        MqttConnectResult result = await client.ConnectAsync(
            new MqttClientOptions { Port = broker.Port, ClientId = "medtechedge", ProtocolVersion = version, Username = "monitor", Password = "pw-wrong" },
            CancellationToken.None);

        // 5.0: reason code 0x86; 3.1.1: return code 0x04, which the client reports as the same reason (§3.2.2.2).
        Assert.Equal(MqttConnectReasonCode.BadUserNameOrPassword, result.ReasonCode);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Publish_At_Each_QoS_Reaches_The_MqttNet_Broker(MqttProtocolVersion version, MqttQualityOfServiceLevel qos)
    {
        var published = new TaskCompletionSource<(string ClientId, string Topic, string Payload, int QoS)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server => server.InterceptingPublishAsync += e =>
        {
            published.TrySetResult((e.ClientId, e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), (int)e.ApplicationMessage.QualityOfServiceLevel));
            return Task.CompletedTask;
        });
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "pump-7", version);

        MqttPublishResult result = await client.PublishAsync("medtech/pump-7/telemetry", "{\"rate\":12}"u8.ToArray(), qos);

        // QoS 1 completes on PUBACK, QoS 2 on PUBCOMP. MQTTnet answers a 5.0 PUBLISH nobody subscribed to with
        // 0x10 No matching subscribers, which is a success (§3.4.2.1).
        Assert.True(result.IsSuccess, $"PUBACK {result.ReasonCode}");
        Assert.Equal(("pump-7", "medtech/pump-7/telemetry", "{\"rate\":12}", (int)qos), await published.Task.WaitAsync(Peers.Timeout));
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Subscribes_And_Receives_At_Each_QoS(MqttProtocolVersion version, MqttQualityOfServiceLevel qos)
    {
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync();
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "monitor", version);

        MqttSubscribeResult subscribed = await client.SubscribeAsync("alarms/#", qos);
        await InjectAsync(broker, "alarms/pump-7", "occlusion", qos, contentType: "text/plain", ward: "icu");

        // [MQTT-3.9.3-1]: SUBACK grants the requested QoS, as MQTTnet supports all three.
        Assert.Equal((int)qos, (int)subscribed.ReasonCode);
        MqttApplicationMessage received = await Peers.ReceiveAsync(client);
        Assert.Equal(("alarms/pump-7", "occlusion", qos), (received.Topic, Encoding.UTF8.GetString(received.Payload.Span), received.QoS));
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal("text/plain", received.ContentType);
            Assert.Equal([new MqttUserProperty("ward", "icu")], received.UserProperties);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Reconnect_Resumes_The_Session_And_Gets_What_Was_Queued_Meanwhile(MqttProtocolVersion version)
    {
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync();
        Action<MqttClientOptions> persistent = o => (o.CleanStart, o.SessionExpiryInterval) = (false, 60);
        await using (MqttClient first = await Peers.ConnectAsync(broker.Port, "night-nurse", version, persistent))
        {
            await first.SubscribeAsync("alarms/#", MqttQualityOfServiceLevel.AtLeastOnce);
            await first.DisconnectAsync();
        }

        await InjectAsync(broker, "alarms/pump-1", "occlusion-0", MqttQualityOfServiceLevel.AtLeastOnce);
        await InjectAsync(broker, "alarms/pump-1", "occlusion-1", MqttQualityOfServiceLevel.AtLeastOnce);
        await using var back = new MqttClient();
        MqttConnectResult resumed = await back.ConnectAsync(
            new MqttClientOptions { Port = broker.Port, ClientId = "night-nurse", ProtocolVersion = version, CleanStart = false, SessionExpiryInterval = 60 },
            CancellationToken.None);

        Assert.True(resumed.IsSuccess, $"CONNACK {resumed.ReasonCode}");
        Assert.True(resumed.SessionPresent);
        Assert.Equal("occlusion-0", Encoding.UTF8.GetString((await Peers.ReceiveAsync(back)).Payload.Span));
        Assert.Equal("occlusion-1", Encoding.UTF8.GetString((await Peers.ReceiveAsync(back)).Payload.Span));
    }

    [Fact]
    public async Task Subscriber_Reconnects_After_The_Broker_Drops_It_And_Keeps_Ingesting()
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server => server.ClientAcknowledgedPublishPacketAsync += e =>
        {
            acknowledged.TrySetResult();
            return Task.CompletedTask;
        });
        var handler = new RecordingIngestHandler();
        var options = new MqttSubscriberOptions
        {
            Port = broker.Port,
            ClientId = "medtechedge",
            FirstReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        };
        await using var subscriber = new MqttSubscriber(options, handler);
        await subscriber.StartAsync(CancellationToken.None);
        Assert.True(await Until.TrueAsync(() => subscriber.IsConnected), "the subscriber never connected");
        await InjectAsync(broker, "devices/pump-1/messages/events/", "before", MqttQualityOfServiceLevel.AtLeastOnce);
        await handler.WaitForAsync(1, Peers.Timeout);
        // The subscriber acknowledges after the handler; drop it only once MQTTnet has the PUBACK, or "before" comes
        // again on the resumed session, which is correct at-least-once behaviour but not what this test is about.
        await acknowledged.Task.WaitAsync(Peers.Timeout);

        await broker.Server.DisconnectClientAsync("medtechedge", MqttNetDisconnectReasonCode.AdministrativeAction);
        Assert.True(await Until.TrueAsync(() => subscriber.Statistics.Reconnects >= 1 && subscriber.IsConnected), "the subscriber never came back");
        await InjectAsync(broker, "devices/pump-1/messages/events/", "after", MqttQualityOfServiceLevel.AtLeastOnce);
        await handler.WaitForAsync(2, Peers.Timeout);

        Assert.Equal(["before", "after"], handler.Messages.Select(m => m.PayloadText));
        Assert.All(handler.Messages, m => Assert.Equal("pump-1", m.DeviceId));
    }

    [Fact]
    public async Task Many_Concurrent_QoS_1_And_2_Publishes_All_Complete_And_Arrive_Once()
    {
        var payloads = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server => server.InterceptingPublishAsync += e =>
        {
            payloads.Add(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        });
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "burst");

        // Packet identifiers in flight together must be distinct [MQTT-2.2.1-4]; QoS 2 must be forwarded once (§4.3.3).
        MqttPublishResult[] results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            client.PublishAsync("medtech/burst/telemetry", Encoding.UTF8.GetBytes(Peers.Text(i)), i % 2 == 0 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.ExactlyOnce)));

        Assert.All(results, r => Assert.True(r.IsSuccess, $"PUBACK {r.ReasonCode}"));
        Assert.Equal(Enumerable.Range(0, 200).Select(Peers.Text).Order(StringComparer.Ordinal), payloads.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Large_Payload_From_MqttNet_Arrives_Intact_In_Order_With_Small_Ones(MqttProtocolVersion version)
    {
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync();
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "monitor", version);
        await client.SubscribeAsync("waveforms/#", MqttQualityOfServiceLevel.ExactlyOnce);
        string large = string.Concat(Enumerable.Range(0, 30_000).Select(i => Peers.Text(i % 10)));

        await InjectAsync(broker, "waveforms/ecg", "start", MqttQualityOfServiceLevel.ExactlyOnce);
        await InjectAsync(broker, "waveforms/ecg", large, MqttQualityOfServiceLevel.ExactlyOnce);
        await InjectAsync(broker, "waveforms/ecg", "end", MqttQualityOfServiceLevel.AtLeastOnce);

        string[] received = [
            Encoding.UTF8.GetString((await Peers.ReceiveAsync(client)).Payload.Span),
            Encoding.UTF8.GetString((await Peers.ReceiveAsync(client)).Payload.Span),
            Encoding.UTF8.GetString((await Peers.ReceiveAsync(client)).Payload.Span)];
        Assert.Equal(["start", large, "end"], received);
    }

    [Fact]
    public async Task Unsubscribe_Completes_And_Stops_Delivery()
    {
        var unsubscribed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync(server => server.ClientUnsubscribedTopicAsync += e =>
        {
            unsubscribed.TrySetResult(e.TopicFilter);
            return Task.CompletedTask;
        });
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "monitor");
        await client.SubscribeAsync("alarms/#");
        await client.SubscribeAsync("flush");

        await client.UnsubscribeAsync("alarms/#");
        await InjectAsync(broker, "alarms/pump-1", "occlusion", MqttQualityOfServiceLevel.AtLeastOnce);
        await InjectAsync(broker, "flush", "end", MqttQualityOfServiceLevel.AtLeastOnce);

        // §3.10.4: after UNSUBACK no new messages for the filter; MQTTnet's broker delivers in order, so the marker comes first.
        Assert.Equal("alarms/#", await unsubscribed.Task.WaitAsync(Peers.Timeout));
        Assert.Equal("flush", (await Peers.ReceiveAsync(client)).Topic);
    }

    [Fact]
    public async Task Disconnect_From_The_Broker_Ends_The_Connection_And_Carries_Its_Reason()
    {
        await using MqttNetBroker broker = await MqttNetBroker.StartAsync();
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "monitor");

        await broker.Server.DisconnectClientAsync("monitor", MqttNetDisconnectReasonCode.AdministrativeAction);

        // §3.14: a 5.0 server may send DISCONNECT with a reason code before closing.
        await client.Completion.WaitAsync(Peers.Timeout);
        Assert.False(client.IsConnected);
        Assert.Equal(MqttDisconnectReasonCode.AdministrativeAction, client.ServerDisconnectReason);
        Assert.True(client.ReceivedMessages.Completion.IsCompleted);
    }

    private static Task CheckPassword(ValidatingConnectionEventArgs e)
    {
        if (e.UserName != "monitor" || e.Password != "pw-right")
        {
            e.ReasonCode = MqttNetConnectReasonCode.BadUserNameOrPassword;
        }

        return Task.CompletedTask;
    }

    /// <summary>Publishes from inside MQTTnet's broker, as if another client had, with 5.0 properties our client should pass on.</summary>
    private static Task InjectAsync(MqttNetBroker broker, string topic, string payload, MqttQualityOfServiceLevel qos, string? contentType = null, string? ward = null)
    {
        MqttNetMessageBuilder builder = new MqttNetMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((MqttNetQoS)(int)qos);
        if (contentType is not null)
        {
            builder.WithContentType(contentType);
        }

        if (ward is not null)
        {
            builder.WithUserProperty("ward", MqttNetPeer.Utf8(ward));
        }

        return broker.Server.InjectApplicationMessage(new InjectedMqttApplicationMessage(builder.Build()) { SenderClientId = "mqttnet" });
    }
}
