using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    private static readonly TimerCallback s_keepAliveExpired = static state =>
    {
        try
        {
            ((CancellationTokenSource)state!).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A timer callback already under way when the loop ended and disposed the source: nothing to cancel.
        }
    };

    private async Task ReceiveLoopAsync()
    {
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(_connectionCts.Token);
        // MQTT 5.0 §3.1.2.10 / 3.1.1 §3.1.2.10: close after one and a half times the Keep Alive without a packet [MQTT-3.1.2-24].
        TimeSpan keepAliveTimeout = _keepAlive == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(_keepAlive * 1500);
        // On the broker's clock, not CancelAfter's real one, so a test moves Keep Alive instead of waiting it out.
        // Declared after the source, so it is disposed first; a callback already running then is caught above.
        using ITimer keepAliveTimer = _broker.Options.TimeProvider.CreateTimer(s_keepAliveExpired, keepAlive, keepAliveTimeout, Timeout.InfiniteTimeSpan);
        while (true)
        {
            MqttPacket? packet = await _channel.ReceiveAsync(keepAlive.Token).ConfigureAwait(false);
            if (packet is null)
            {
                // Closed without DISCONNECT: the will is published (MQTT 5.0 §3.1.2.5).
                return;
            }

            // The period restarts when a packet arrives, before it is handled: a PINGRESP or PUBACK the client sees
            // was sent after its packet already counted.
            keepAliveTimer.Change(keepAliveTimeout, Timeout.InfiniteTimeSpan);

            switch (packet)
            {
                case MqttPublishPacket publish:
                    if (!await OnPublishAsync(publish).ConfigureAwait(false))
                    {
                        // 3.1.1 unauthorized PUBLISH: close without DISCONNECT, so the will (if any) is published.
                        return;
                    }

                    break;
                case MqttAckPacket ack:
                    await OnAckAsync(ack).ConfigureAwait(false);
                    break;
                case MqttSubscribePacket subscribe:
                    await OnSubscribeAsync(subscribe).ConfigureAwait(false);
                    break;
                case MqttUnsubscribePacket unsubscribe:
                    await OnUnsubscribeAsync(unsubscribe).ConfigureAwait(false);
                    break;
                case MqttPingReqPacket:
                    // [MQTT-3.12.4-1]
                    await _channel.SendAsync(MqttPingRespPacket.Instance, _connectionCts.Token).ConfigureAwait(false);
                    break;
                case MqttDisconnectPacket disconnect:
                    OnDisconnect(disconnect);
                    return;
                case MqttConnectPacket:
                    throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, "Second CONNECT on one connection [MQTT-3.1.0-2].");
                case MqttAuthPacket:
                    throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, "AUTH without an Authentication Method in CONNECT [MQTT-4.12.0-1].");
                default:
                    throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"{packet.Type} is not sent by clients (MQTT 5.0 §2.1.2).");
            }
        }
    }

    private void OnDisconnect(MqttDisconnectPacket disconnect)
    {
        // [MQTT-3.14.4-3]: DISCONNECT 0x00 discards the will; 5.0 clients keep it with 0x04 or an error reason.
        _sendWill = disconnect.ReasonCode != MqttDisconnectReasonCode.NormalDisconnection;
        if (disconnect.Properties.SessionExpiryInterval is uint expiry && _session is not null)
        {
            if (_session.SessionExpiryInterval == 0 && expiry != 0)
            {
                // [MQTT-3.14.2-2]: a session that was to end cannot be extended at DISCONNECT.
                throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, "Session Expiry Interval set at DISCONNECT after 0 at CONNECT [MQTT-3.14.2-2].");
            }

            _session.SessionExpiryInterval = Math.Min(expiry, _broker.Options.MaximumSessionExpiryInterval);
        }
    }

    private async Task OnAckAsync(MqttAckPacket ack)
    {
        MqttServerSession session = _session!;
        switch (ack.Type)
        {
            case MqttPacketType.PubAck:
            case MqttPacketType.PubComp:
                if (session.CompleteInflight(ack.PacketId))
                {
                    _sendSlots.Release();
                }

                break;
            case MqttPacketType.PubRec:
                if (ack.ReasonCode >= 0x80)
                {
                    // MQTT 5.0 §4.3.3: a failed PUBREC ends the exchange; the id is free again.
                    if (session.CompleteInflight(ack.PacketId))
                    {
                        _sendSlots.Release();
                    }

                    break;
                }

                byte relCode = session.MarkReleased(ack.PacketId) ? (byte)0 : (byte)MqttPubRelReasonCode.PacketIdentifierNotFound;
                // [MQTT-4.3.3-4]
                await _channel.SendAsync(new MqttAckPacket(MqttPacketType.PubRel, ack.PacketId, relCode), _connectionCts.Token).ConfigureAwait(false);
                break;
            case MqttPacketType.PubRel:
                byte compCode = session.CompleteIncomingQoS2(ack.PacketId) ? (byte)0 : (byte)MqttPubRelReasonCode.PacketIdentifierNotFound;
                if (compCode == 0)
                {
                    Interlocked.Decrement(ref _incomingInflight);
                }

                // [MQTT-4.3.3-11]: PUBCOMP with the same packet identifier.
                await _channel.SendAsync(new MqttAckPacket(MqttPacketType.PubComp, ack.PacketId, compCode), _connectionCts.Token).ConfigureAwait(false);
                break;
        }
    }
}
