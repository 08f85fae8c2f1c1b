using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Transport;

namespace MedTechEdge.Mqtt.Client;

public sealed partial class MqttClient
{
    /// <summary>
    /// Publishes one message. QoS 0 completes once written; QoS 1 on PUBACK; QoS 2 on PUBCOMP (or on a failed
    /// PUBREC). Safe to call concurrently; at most the server's Receive Maximum are in flight, the rest wait.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not connected.</exception>
    /// <exception cref="IOException">The connection closed before the acknowledgement.</exception>
    public async Task<MqttPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (!MqttTopic.IsValidTopicName(topic))
        {
            throw new ArgumentException("A Topic Name has no wildcards [MQTT-3.3.2-2].", nameof(topic));
        }

        MqttPacketChannel channel = GetConnectedChannel();
        var packet = new MqttPublishPacket { Topic = topic, Payload = payload, QoS = qos, Retain = retain };
        if (qos == MqttQualityOfServiceLevel.AtMostOnce)
        {
            await channel.SendAsync(packet, cancellationToken).ConfigureAwait(false);
            return new MqttPublishResult(MqttPubAckReasonCode.Success, 0, null);
        }

        await _sendSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ushort packetId = 0;
        try
        {
            TaskCompletionSource<MqttPacket> waiter = Register(out packetId);
            packet.PacketId = packetId;
            await channel.SendAsync(packet, cancellationToken).ConfigureAwait(false);
            var ack = (MqttAckPacket)await WaitAsync(waiter.Task, cancellationToken).ConfigureAwait(false);
            if (qos == MqttQualityOfServiceLevel.AtLeastOnce || ack.ReasonCode >= 0x80)
            {
                return new MqttPublishResult((MqttPubAckReasonCode)ack.ReasonCode, packetId, ack.Properties.ReasonString);
            }

            // QoS 2, second half: PUBREL, then PUBCOMP [MQTT-4.3.3-4].
            var completion = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[packetId] = completion;
            await channel.SendAsync(new MqttAckPacket(MqttPacketType.PubRel, packetId), cancellationToken).ConfigureAwait(false);
            var pubComp = (MqttAckPacket)await WaitAsync(completion.Task, cancellationToken).ConfigureAwait(false);
            MqttPubAckReasonCode code = pubComp.ReasonCode == 0 ? (MqttPubAckReasonCode)ack.ReasonCode : MqttPubAckReasonCode.UnspecifiedError;
            return new MqttPublishResult(code, packetId, pubComp.Properties.ReasonString ?? ack.Properties.ReasonString);
        }
        catch
        {
            // Timed out or cancelled: free the identifier for reuse.
            _pending.TryRemove(packetId, out _);
            throw;
        }
        finally
        {
            _sendSlots.Release();
        }
    }

    /// <summary>Subscribes to one Topic Filter and returns the SUBACK reason code.</summary>
    public async Task<MqttSubscribeResult> SubscribeAsync(string topicFilter, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicFilter);
        MqttPacketChannel channel = GetConnectedChannel();
        TaskCompletionSource<MqttPacket> waiter = Register(out ushort packetId);
        var subscribe = new MqttSubscribePacket { PacketId = packetId };
        subscribe.Filters.Add(new MqttTopicFilter(topicFilter, qos));
        await channel.SendAsync(subscribe, cancellationToken).ConfigureAwait(false);
        var subAck = (MqttSubAckPacket)await WaitAsync(waiter.Task, cancellationToken).ConfigureAwait(false);
        return new MqttSubscribeResult(subAck.ReasonCodes.Count > 0 ? subAck.ReasonCodes[0] : MqttSubscribeReasonCode.UnspecifiedError);
    }

    /// <summary>Removes a subscription; completes on UNSUBACK.</summary>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicFilter);
        MqttPacketChannel channel = GetConnectedChannel();
        TaskCompletionSource<MqttPacket> waiter = Register(out ushort packetId);
        var unsubscribe = new MqttUnsubscribePacket { PacketId = packetId };
        unsubscribe.Filters.Add(topicFilter);
        await channel.SendAsync(unsubscribe, cancellationToken).ConfigureAwait(false);
        await WaitAsync(waiter.Task, cancellationToken).ConfigureAwait(false);
    }

    private MqttPacketChannel GetConnectedChannel()
    {
        if (!IsConnected || _channel is null)
        {
            throw new InvalidOperationException("The client is not connected.");
        }

        return _channel;
    }

    /// <summary>Takes a free non-zero packet identifier [MQTT-2.2.1-3] and registers a waiter for its acknowledgement.</summary>
    private TaskCompletionSource<MqttPacket> Register(out ushort packetId)
    {
        var waiter = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            packetId = (ushort)(Interlocked.Increment(ref _lastPacketId) & 0xFFFF);
            if (packetId != 0 && _pending.TryAdd(packetId, waiter))
            {
                return waiter;
            }
        }
    }
}
