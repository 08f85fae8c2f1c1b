using System.Threading.Channels;
using MedTechEdge.Mqtt.Formatter;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    /// <summary>
    /// Sends the session's queued messages. QoS 1/2 messages take a slot of the client's Receive Maximum
    /// (MQTT 5.0 §4.9; 32 for 3.1.1 clients), given back on PUBACK / PUBCOMP. On a resumed session the unacknowledged
    /// messages go first, with DUP set, and PUBREL for those already past PUBREC [MQTT-4.4.0-1].
    /// </summary>
    private async Task DeliveryLoopAsync()
    {
        MqttServerSession session = _session!;
        CancellationToken cancellationToken = _connectionCts.Token;
        try
        {
            foreach (MqttInflightMessage inflight in session.GetInflightInOrder())
            {
                await _sendSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                MqttPacket resend = inflight.Released
                    ? new MqttAckPacket(MqttPacketType.PubRel, inflight.Packet.PacketId)
                    : MarkDuplicate(inflight.Packet);
                await _channel.SendAsync(resend, cancellationToken).ConfigureAwait(false);
            }

            ChannelReader<MqttQueuedMessage> outbox = session.Outbox.Reader;
            while (await outbox.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Peek, take a send slot, then dequeue: a connection that dies while waiting for a slot leaves the
                // message queued for the session's next connection instead of losing it.
                while (outbox.TryPeek(out MqttQueuedMessage next))
                {
                    bool needsSlot = next.QoS != MqttQualityOfServiceLevel.AtMostOnce;
                    if (needsSlot)
                    {
                        await _sendSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (!outbox.TryRead(out MqttQueuedMessage queued) || !await DeliverAsync(session, queued, needsSlot, cancellationToken).ConfigureAwait(false))
                    {
                        ReleaseSlot(needsSlot);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Connection closing.
        }
    }

    private static MqttPublishPacket MarkDuplicate(MqttPublishPacket packet)
    {
        // [MQTT-3.3.1-1]: DUP 1 on a redelivery.
        packet.Dup = true;
        return packet;
    }

    /// <summary>Sends one queued message. Returns false when nothing went out and the caller's send slot is unused.</summary>
    private async Task<bool> DeliverAsync(MqttServerSession session, MqttQueuedMessage queued, bool haveSlot, CancellationToken cancellationToken)
    {
        long now = _broker.NowTicks;
        if (queued.Message.IsExpired(now))
        {
            // [MQTT-3.3.2-5]: expired messages are not delivered.
            return false;
        }

        // The slot was taken for the QoS seen at peek time; a concurrent reader could have changed the head.
        MqttQualityOfServiceLevel qos = haveSlot ? queued.QoS : MqttQualityOfServiceLevel.AtMostOnce;
        MqttPublishPacket packet = queued.Message.ToPublishPacket(qos, queued.Retain, queued.SubscriptionIdentifier, now);
        if (MqttPacketEncoder.GetPublishSize(packet, _channel.ProtocolVersion) > _clientMaximumPacketSize)
        {
            // [MQTT-3.1.2-25]: too large for the client; discarded as if sent.
            return false;
        }

        if (qos != MqttQualityOfServiceLevel.AtMostOnce)
        {
            session.AddInflight(packet);
        }

        await _channel.SendAsync(packet, cancellationToken).ConfigureAwait(false);
        return qos != MqttQualityOfServiceLevel.AtMostOnce;
    }

    private void ReleaseSlot(bool taken)
    {
        if (taken)
        {
            _sendSlots.Release();
        }
    }
}
