using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    private async Task OnSubscribeAsync(MqttSubscribePacket subscribe)
    {
        MqttServerSession session = _session!;
        var subAck = new MqttSubAckPacket { PacketId = subscribe.PacketId };
        uint? subscriptionId = subscribe.Properties.SubscriptionIdentifiers is [uint id, ..] ? id : null;
        List<(MqttSubscription Subscription, bool IsNew)>? accepted = null;
        foreach (MqttTopicFilter filter in subscribe.Filters)
        {
            bool isShared = MqttTopic.TryParseShared(filter.Filter, out string shareName, out string inner, out bool sharedValid);
            if (!(isShared ? sharedValid : MqttTopic.IsValidTopicFilter(filter.Filter)))
            {
                // MQTT 5.0 §3.9.3: a failure code for this filter only; 3.1.1 gets 0x80 Failure (the encoder maps it).
                subAck.ReasonCodes.Add(MqttSubscribeReasonCode.TopicFilterInvalid);
                continue;
            }

            if (isShared && !IsV5)
            {
                // "$share/" is an ordinary filter in 3.1.1; Mosquitto treats it as shared in both. We follow 5.0 only.
                isShared = false;
                inner = filter.Filter;
            }

            if (!_broker.Security.MaySubscribe(_identity, isShared ? inner : filter.Filter))
            {
                // MQTT 5.0 §3.9.3 0x87 Not authorized for this filter only; 3.1.1 gets 0x80 Failure.
                Interlocked.Increment(ref _broker.Statistics._authorizationFailures);
                MqttServerLog.NotAuthorized(_logger, _clientId, _identity, "subscribe");
                subAck.ReasonCodes.Add(MqttSubscribeReasonCode.NotAuthorized);
                continue;
            }

            var granted = (MqttQualityOfServiceLevel)Math.Min((byte)filter.QoS, (byte)_broker.Options.MaximumQoS);
            var subscription = new MqttSubscription(session, filter.Filter, inner, isShared ? shareName : null, granted,
                filter.NoLocal, filter.RetainAsPublished, filter.RetainHandling, subscriptionId);
            bool isNew = _broker.Subscribe(subscription);
            (accepted ??= []).Add((subscription, isNew));
            subAck.ReasonCodes.Add((MqttSubscribeReasonCode)granted);
        }

        // [MQTT-3.8.4-1] SUBACK first, then retained messages for the subscriptions (MQTT 5.0 §3.3.1.3).
        await _channel.SendAsync(subAck, _connectionCts.Token).ConfigureAwait(false);
        if (accepted is null)
        {
            return;
        }

        long now = _broker.NowTicks;
        foreach ((MqttSubscription subscription, bool isNew) in accepted)
        {
            // Shared subscriptions never get retained messages at subscribe time (MQTT 5.0 §4.8.2).
            if (subscription.ShareName is not null
                || subscription.RetainHandling == MqttRetainHandling.DoNotSendAtSubscribe
                || (subscription.RetainHandling == MqttRetainHandling.SendAtSubscribeIfNewSubscription && !isNew))
            {
                continue;
            }

            foreach (MqttStoredMessage retained in _broker.Retained.Match(subscription.Filter, now))
            {
                var qos = (MqttQualityOfServiceLevel)Math.Min((byte)retained.QoS, (byte)subscription.QoS);
                // [MQTT-3.3.1-8]: RETAIN 1 on messages sent because of a new subscription.
                session.Enqueue(new MqttQueuedMessage(retained, qos, Retain: true, subscription.SubscriptionIdentifier));
            }
        }
    }

    private async Task OnUnsubscribeAsync(MqttUnsubscribePacket unsubscribe)
    {
        var unsubAck = new MqttUnsubAckPacket { PacketId = unsubscribe.PacketId };
        foreach (string filter in unsubscribe.Filters)
        {
            bool removed = _broker.Unsubscribe(_session!, filter);
            unsubAck.ReasonCodes.Add(removed ? MqttUnsubscribeReasonCode.Success : MqttUnsubscribeReasonCode.NoSubscriptionExisted);
        }

        // [MQTT-3.10.4-4]: UNSUBACK even when nothing was removed.
        await _channel.SendAsync(unsubAck, _connectionCts.Token).ConfigureAwait(false);
    }
}
