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

            while (await session.Outbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (session.Outbox.Reader.TryRead(out MqttQueuedMessage queued))
                {
                    await DeliverAsync(session, queued, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Connection closing.
        }
        catch (Exception)
        {
            _channel.Abort();
            throw;
        }
    }

    private static MqttPublishPacket MarkDuplicate(MqttPublishPacket packet)
    {
        // [MQTT-3.3.1-1]: DUP 1 on a redelivery.
        packet.Dup = true;
        return packet;
    }

    private async Task DeliverAsync(MqttServerSession session, MqttQueuedMessage queued, CancellationToken cancellationToken)
    {
        long now = MqttStoredMessage.NowTicks;
        if (queued.Message.IsExpired(now))
        {
            // [MQTT-3.3.2-5]: expired messages are not delivered.
            return;
        }

        MqttPublishPacket packet = queued.Message.ToPublishPacket(queued.QoS, queued.Retain, queued.SubscriptionIdentifier, now);
        if (MqttPacketEncoder.GetPublishSize(packet, _channel.ProtocolVersion) > _clientMaximumPacketSize)
        {
            // [MQTT-3.1.2-25]: too large for the client; discarded as if sent.
            return;
        }

        if (packet.QoS != MqttQualityOfServiceLevel.AtMostOnce)
        {
            await _sendSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            session.AddInflight(packet);
        }

        await _channel.SendAsync(packet, cancellationToken).ConfigureAwait(false);
    }
}
