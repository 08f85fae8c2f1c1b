using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// MQTT 5.0 subscription options and PUBLISH properties with MQTTnet's client: Subscription Identifier (§3.8.2.1.2,
/// §3.3.2.3.8), No Local, Retain As Published, Retain Handling (§3.8.3.1), UNSUBACK (§3.11.3), the request/response
/// properties forwarded unchanged (§3.3.2.3), and session takeover (§3.1.4).
/// </summary>
public sealed class MqttNet_Client_Subscription_Tests
{
    [Fact]
    public async Task Subscription_Identifier_Comes_Back_With_Each_Matching_Message()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer monitor = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await SubscribeAsync(monitor, new MqttTopicFilterBuilder().WithTopic("vitals/#").WithAtLeastOnceQoS(), subscriptionIdentifier: 7);
        await using MqttNetPeer device = await MqttNetPeer.ConnectAsync(broker.Port, "hr-1");

        await device.PublishAsync("vitals/hr", "61");

        // [MQTT-3.3.4-3]: the server sends the Subscription Identifier of the matching subscription with the message.
        Assert.Equal([7u], (await monitor.ReceiveAsync()).SubscriptionIdentifiers);
    }

    [Fact]
    public async Task Subscription_Identifier_Comes_With_Retained_Messages_Sent_At_Subscribe()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ward-config");
        await publisher.PublishAsync("wards/icu/config", "beds=12", MqttQualityOfServiceLevel.ExactlyOnce, retain: true);
        await using MqttNetPeer monitor = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");

        await SubscribeAsync(monitor, new MqttTopicFilterBuilder().WithTopic("wards/#").WithAtLeastOnceQoS(), subscriptionIdentifier: 5);

        // [MQTT-3.3.4-3] holds for retained messages too; and the QoS is the lower of message and subscription (§3.8.4).
        MqttNetReceived retained = await monitor.ReceiveAsync();
        Assert.Equal([5u], retained.SubscriptionIdentifiers);
        Assert.Equal((MqttQualityOfServiceLevel.AtLeastOnce, true), (retained.QoS, retained.Retain));
    }

    [Fact]
    public async Task Unsubscribing_A_Shared_Subscription_Leaves_The_Group()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer leaving = await MqttNetPeer.ConnectAsync(broker.Port, "worker-a");
        await using MqttNetPeer staying = await MqttNetPeer.ConnectAsync(broker.Port, "worker-b");
        await leaving.SubscribeAsync("$share/workers/jobs/#");
        await leaving.SubscribeAsync("flush");
        await staying.SubscribeAsync("$share/workers/jobs/#");

        MqttClientUnsubscribeResult result = await leaving.Client.UnsubscribeAsync("$share/workers/jobs/#");
        await using MqttNetPeer dispatcher = await MqttNetPeer.ConnectAsync(broker.Port, "dispatcher");
        for (int i = 0; i < 4; i++)
        {
            await dispatcher.PublishAsync($"jobs/{i}", "job");
        }

        await dispatcher.PublishAsync("flush", "end");

        Assert.Equal(MqttClientUnsubscribeResultCode.Success, Assert.Single(result.Items).ResultCode);
        Assert.Equal(["flush"], (await leaving.ReceiveUntilAsync("flush")).Select(m => m.Topic));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal($"jobs/{i}", (await staying.ReceiveAsync()).Topic);
        }
    }

    [Fact]
    public async Task Topic_Alias_Does_Not_Survive_The_Connection()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using (MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "spo2-1"))
        {
            await first.PublishAsync("devices/spo2-1/messages/events/", "98", configure: m => m.WithTopicAlias(3));
            await first.Client.DisconnectAsync();
        }

        await using MqttNetPeer second = await MqttNetPeer.ConnectAsync(broker.Port, "spo2-1");
        Task<MqttClientPublishResult> publish = second.PublishAsync(string.Empty, "97", configure: m => m.WithTopicAlias(3));

        // [MQTT-3.3.2-7]: alias mappings live only as long as the Network Connection; an unknown alias is a protocol error.
        Assert.Equal(MqttClientDisconnectReason.ProtocolError, (await second.DisconnectedAsync()).Reason);
        await Assert.ThrowsAnyAsync<Exception>(() => publish);
        Assert.Single(broker.Handler.Messages);
    }

    [Fact]
    public async Task No_Local_Keeps_A_Clients_Own_Messages_From_It()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer nurse = await MqttNetPeer.ConnectAsync(broker.Port, "nurse");
        await SubscribeAsync(nurse, new MqttTopicFilterBuilder().WithTopic("handover/#").WithAtLeastOnceQoS().WithNoLocal());
        await using MqttNetPeer other = await MqttNetPeer.ConnectAsync(broker.Port, "other");

        await nurse.PublishAsync("handover/bed-4", "mine");
        await other.PublishAsync("handover/flush", "end");

        // [MQTT-3.8.3-3]: with No Local, messages are not forwarded to the connection that published them.
        Assert.Equal(["handover/flush"], (await nurse.ReceiveUntilAsync("handover/flush")).Select(m => m.Topic));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retain_As_Published_Decides_The_Retain_Flag_Of_Live_Deliveries(bool retainAsPublished)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer monitor = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await SubscribeAsync(monitor, new MqttTopicFilterBuilder().WithTopic("wards/#").WithAtLeastOnceQoS().WithRetainAsPublished(retainAsPublished));
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ward-config");

        await publisher.PublishAsync("wards/icu/config", "beds=12", retain: true);

        // [MQTT-3.3.1-12]: without Retain As Published the flag is 0 on a live delivery; [MQTT-3.3.1-13]: with it, as sent.
        Assert.Equal(retainAsPublished, (await monitor.ReceiveAsync()).Retain);
    }

    [Fact]
    public async Task Retain_Handling_1_Sends_Retained_Messages_Only_For_A_New_Subscription()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer publisher = await MqttNetPeer.ConnectAsync(broker.Port, "ward-config");
        await publisher.PublishAsync("wards/icu/config", "beds=12", retain: true);
        await using MqttNetPeer monitor = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        MqttTopicFilterBuilder filter = new MqttTopicFilterBuilder().WithTopic("wards/#").WithAtLeastOnceQoS().WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);

        await SubscribeAsync(monitor, filter);
        MqttNetReceived first = await monitor.ReceiveAsync();
        // The same filter again replaces the subscription [MQTT-3.8.4-3]; it is not new, so nothing is resent.
        await SubscribeAsync(monitor, filter);
        await publisher.PublishAsync("wards/flush", "end");

        Assert.Equal(("wards/icu/config", true), (first.Topic, first.Retain));
        Assert.Equal(["wards/flush"], (await monitor.ReceiveUntilAsync("wards/flush")).Select(m => m.Topic));
    }

    [Fact]
    public async Task Unsubscribe_Reports_Each_Filter_And_Stops_Delivery()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer monitor = await MqttNetPeer.ConnectAsync(broker.Port, "monitor");
        await monitor.SubscribeAsync("alarms/#");
        await monitor.SubscribeAsync("flush");

        MqttClientUnsubscribeResult result = await monitor.Client.UnsubscribeAsync(
            new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter("alarms/#").WithTopicFilter("never/subscribed").Build());
        await using MqttNetPeer pump = await MqttNetPeer.ConnectAsync(broker.Port, "pump");
        await pump.PublishAsync("alarms/pump", "occlusion");
        await pump.PublishAsync("flush", "end");

        // §3.11.3: one reason code per filter, in order; 0x11 No subscription existed for the unknown one.
        Assert.Equal([MqttClientUnsubscribeResultCode.Success, MqttClientUnsubscribeResultCode.NoSubscriptionExisted], result.Items.Select(i => i.ResultCode));
        Assert.Equal(["flush"], (await monitor.ReceiveUntilAsync("flush")).Select(m => m.Topic));
    }

    [Fact]
    public async Task Request_Response_Properties_Payload_Format_And_Expiry_Are_Forwarded()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer responder = await MqttNetPeer.ConnectAsync(broker.Port, "responder");
        await responder.SubscribeAsync("requests/#");
        await using MqttNetPeer requester = await MqttNetPeer.ConnectAsync(broker.Port, "requester");

        await requester.PublishAsync("requests/config", "{\"bed\":4}", configure: m => m
            .WithResponseTopic("responses/requester")
            .WithCorrelationData([0x01, 0x02, 0xFF])
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithMessageExpiryInterval(60));

        MqttNetReceived request = await responder.ReceiveAsync();
        Assert.Equal("responses/requester", request.ResponseTopic);
        Assert.Equal(new byte[] { 0x01, 0x02, 0xFF }, request.CorrelationData);
        Assert.Equal(MqttPayloadFormatIndicator.CharacterData, request.PayloadFormatIndicator);
        // [MQTT-3.3.2-6]: the expiry sent on is what remains of it, so at most what was published and not zero yet.
        Assert.InRange(request.MessageExpiryInterval, 1u, 60u);
    }

    [Fact]
    public async Task Second_Connection_With_The_Same_Client_Id_Takes_Over_With_Disconnect_0x8E()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttNetPeer first = await MqttNetPeer.ConnectAsync(broker.Port, "bedside-4");

        await using MqttNetPeer second = await MqttNetPeer.ConnectAsync(broker.Port, "bedside-4");

        // [MQTT-3.1.4-3]: the existing connection is closed; 5.0 tells it why with 0x8E Session taken over.
        Assert.Equal(MqttClientDisconnectReason.SessionTakenOver, (await first.DisconnectedAsync()).Reason);
        Assert.True(second.Client.IsConnected);
    }

    private static async Task SubscribeAsync(MqttNetPeer peer, MqttTopicFilterBuilder filter, uint? subscriptionIdentifier = null)
    {
        var options = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter);
        if (subscriptionIdentifier is { } id)
        {
            options.WithSubscriptionIdentifier(id);
        }

        MqttClientSubscribeResult result = await peer.Client.SubscribeAsync(options.Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(result.Items).ResultCode);
    }
}
