using System.Diagnostics;
using System.Net.Sockets;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Transport;

namespace MedTechEdge.Mqtt.Client;

public sealed partial class MqttClient
{
    private async Task ReadLoopAsync()
    {
        MqttPacketChannel channel = _channel!;
        Exception? failure = null;
        try
        {
            while (true)
            {
                MqttPacket? packet = await channel.ReceiveAsync(_closed.Token).ConfigureAwait(false);
                if (packet is null)
                {
                    break;
                }

                Volatile.Write(ref _lastReceivedTimestamp, _options.TimeProvider.GetTimestamp());
                await OnPacketAsync(channel, packet).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            failure = ex;
        }
        catch (MqttProtocolException ex)
        {
            failure = ex;
            // MQTT 5.0 §4.13: the client also says why it closes.
            if (channel.ProtocolVersion == MqttProtocolVersion.V500)
            {
                await channel.TrySendAsync(new MqttDisconnectPacket { ReasonCode = ex.ReasonCode }, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
        finally
        {
            IsConnected = false;
            var lost = new IOException("The MQTT connection closed.", failure);
            _connAck?.TrySetException(lost);
            foreach (TaskCompletionSource<MqttPacket> pending in _pending.Values)
            {
                pending.TrySetException(lost);
            }

            _received.Writer.TryComplete();
            _completion.TrySetResult();
            channel.Abort();
        }
    }

    private async Task OnPacketAsync(MqttPacketChannel channel, MqttPacket packet)
    {
        switch (packet)
        {
            case MqttConnAckPacket connAck:
                _connAck?.TrySetResult(connAck);
                break;
            case MqttPublishPacket publish:
                await OnPublishAsync(channel, publish).ConfigureAwait(false);
                break;
            case MqttAckPacket { Type: MqttPacketType.PubRel } pubRel:
                bool known;
                lock (_incomingQoS2)
                {
                    known = _incomingQoS2.Remove(pubRel.PacketId);
                }

                // [MQTT-4.3.3-11]
                byte code = known ? (byte)0 : (byte)MqttPubRelReasonCode.PacketIdentifierNotFound;
                await channel.SendAsync(new MqttAckPacket(MqttPacketType.PubComp, pubRel.PacketId, code), _closed.Token).ConfigureAwait(false);
                break;
            case MqttAckPacket ack:
                Complete(ack.PacketId, ack);
                break;
            case MqttSubAckPacket subAck:
                Complete(subAck.PacketId, subAck);
                break;
            case MqttUnsubAckPacket unsubAck:
                Complete(unsubAck.PacketId, unsubAck);
                break;
            case MqttDisconnectPacket disconnect:
                ServerDisconnectReason = disconnect.ReasonCode;
                throw new IOException($"The server disconnected: {disconnect.ReasonCode}.");
            case MqttPingRespPacket:
                break;
            default:
                throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"{packet.Type} is not sent by servers (MQTT 5.0 §2.1.2).");
        }
    }

    /// <summary>
    /// Manual acknowledgement (<see cref="MqttClientOptions.ManualAcknowledgement"/>): sends PUBACK for a QoS 1 message
    /// or PUBREC for a QoS 2 message (the PUBREL / PUBCOMP exchange then runs on its own); nothing for QoS 0.
    /// The caller sends acknowledgements in the order the messages arrived (MQTT 5.0 §4.6). With
    /// <paramref name="flush"/> false the packet stays buffered until a later flushing send or <see cref="FlushAsync"/>.
    /// </summary>
    /// <exception cref="IOException">The connection is gone (also <see cref="ObjectDisposedException"/>).</exception>
    internal ValueTask AcknowledgeAsync(MqttApplicationMessage message, bool flush, CancellationToken cancellationToken)
    {
        Debug.Assert(_options.ManualAcknowledgement, "Auto-acknowledging clients answer in OnPublishAsync.");
        MqttPacketChannel channel = GetConnectedChannel();
        return message.QoS switch
        {
            MqttQualityOfServiceLevel.AtLeastOnce => channel.SendAsync(new MqttAckPacket(MqttPacketType.PubAck, message.PacketId), flush, cancellationToken),
            MqttQualityOfServiceLevel.ExactlyOnce => channel.SendAsync(new MqttAckPacket(MqttPacketType.PubRec, message.PacketId), flush, cancellationToken),
            _ => flush ? channel.FlushAsync(cancellationToken) : ValueTask.CompletedTask,
        };
    }

    /// <summary>Writes out acknowledgements that <see cref="AcknowledgeAsync"/> left buffered.</summary>
    internal ValueTask FlushAsync(CancellationToken cancellationToken) => GetConnectedChannel().FlushAsync(cancellationToken);

    private void Complete(ushort packetId, MqttPacket packet)
    {
        if (_pending.TryRemove(packetId, out TaskCompletionSource<MqttPacket>? waiter))
        {
            waiter.TrySetResult(packet);
        }
    }

    private async Task OnPublishAsync(MqttPacketChannel channel, MqttPublishPacket publish)
    {
        bool deliver = true;
        if (publish.QoS == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            lock (_incomingQoS2)
            {
                // A redelivery before PUBREL is acknowledged again but not delivered twice [MQTT-4.3.3-10].
                deliver = _incomingQoS2.Add(publish.PacketId);
            }
        }

        if (deliver)
        {
            var message = new MqttApplicationMessage
            {
                Topic = publish.Topic,
                Payload = publish.Payload.ToArray(),
                QoS = publish.QoS,
                Retain = publish.Retain,
                Dup = publish.Dup,
                UserProperties = (IReadOnlyList<MqttUserProperty>?)publish.Properties.UserProperties ?? [],
                ContentType = publish.Properties.ContentType,
                MessageExpiryInterval = publish.Properties.MessageExpiryInterval,
                PacketId = publish.PacketId,
            };
            _received.Writer.TryWrite(message);
            if (_options.ManualAcknowledgement)
            {
                // The consumer acknowledges through AcknowledgeAsync once the message is stored.
                publish.ReturnPayload();
                return;
            }
        }

        publish.ReturnPayload();
        if (publish.QoS == MqttQualityOfServiceLevel.AtLeastOnce)
        {
            await channel.SendAsync(new MqttAckPacket(MqttPacketType.PubAck, publish.PacketId), _closed.Token).ConfigureAwait(false);
        }
        else if (publish.QoS == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            await channel.SendAsync(new MqttAckPacket(MqttPacketType.PubRec, publish.PacketId), _closed.Token).ConfigureAwait(false);
        }
    }
}
