using System.Threading.Channels;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    private string?[]? _topicAliases;

    /// <summary>
    /// Validates the PUBLISH, starts the ingest call when its topic is a device topic, and queues it for the
    /// acknowledgement loop. The handler is not awaited here: the next packet can be read while it runs.
    /// Returns false when the connection must close (a 3.1.1 PUBLISH the device may not make).
    /// </summary>
    private async Task<bool> OnPublishAsync(MqttPublishPacket publish)
    {
        Interlocked.Increment(ref _broker.Statistics._messagesReceived);
        try
        {
            ResolveTopicAlias(publish);
            if (publish.QoS > _broker.Options.MaximumQoS)
            {
                // [MQTT-3.2.2-11]
                throw new MqttProtocolException(MqttDisconnectReasonCode.QoSNotSupported, $"QoS {(int)publish.QoS} above Maximum QoS [MQTT-3.2.2-11].");
            }
        }
        catch
        {
            publish.ReturnPayload();
            throw;
        }

        bool notAuthorized = !_broker.Security.MayPublish(_identity, publish.Topic);
        if (notAuthorized)
        {
            Interlocked.Increment(ref _broker.Statistics._authorizationFailures);
            MqttServerLog.NotAuthorized(_logger, _clientId, _identity, "publish");
            if (!IsV5 || publish.QoS == MqttQualityOfServiceLevel.AtMostOnce)
            {
                publish.ReturnPayload();
                // 3.1.1 has no negative ack: "either make a positive acknowledgement ... or close the Network
                // Connection" [MQTT-3.3.5-2]; we close, so the device learns. 5.0 QoS 0 has no ack: dropped.
                return IsV5;
            }
        }

        bool duplicate = false;
        if (publish.QoS != MqttQualityOfServiceLevel.AtMostOnce)
        {
            if (publish.QoS == MqttQualityOfServiceLevel.ExactlyOnce && !_session!.TryBeginIncomingQoS2(publish.PacketId))
            {
                // Redelivered QoS 2 PUBLISH before PUBREL: acknowledge again, do not pass it on again [MQTT-4.3.3-10].
                duplicate = true;
            }
            else if (Interlocked.Increment(ref _incomingInflight) > _broker.Options.ReceiveMaximum && IsV5)
            {
                publish.ReturnPayload();
                // [MQTT-3.3.4-7] (MQTT 5.0 §3.3.4): more unacknowledged QoS 1/2 PUBLISHes than our Receive Maximum.
                throw new MqttProtocolException(MqttDisconnectReasonCode.ReceiveMaximumExceeded, "Receive Maximum exceeded [MQTT-3.3.4-7].");
            }
        }

        // A redelivered QoS 2 PUBLISH whose id is awaiting PUBREL was authorized the first time: acknowledge it as such,
        // so its QoS 2 state and in-flight count are not released twice.
        notAuthorized &= !duplicate;
        bool ingest = !duplicate && !notAuthorized && _broker.IsIngestTopic(publish.Topic);
        ValueTask<MqttIngestResult> result = ingest ? StartIngest(publish) : default;
        await _pending.Writer.WriteAsync(new MqttPendingPublish(publish, result, ingest, duplicate, notAuthorized), _connectionCts.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>MQTT 5.0 §3.3.2.3.4: an alias with a topic sets the mapping, an alias with an empty topic uses it.</summary>
    private void ResolveTopicAlias(MqttPublishPacket publish)
    {
        if (publish.Properties.TopicAlias is not ushort alias)
        {
            if (publish.Topic.Length == 0)
            {
                throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, "Empty Topic Name without a Topic Alias (MQTT 5.0 §3.3.2.1).");
            }

            return;
        }

        if (alias > _broker.Options.TopicAliasMaximum)
        {
            // [MQTT-3.3.2-9]
            throw new MqttProtocolException(MqttDisconnectReasonCode.TopicAliasInvalid, $"Topic Alias {alias} above Topic Alias Maximum [MQTT-3.3.2-9].");
        }

        _topicAliases ??= new string?[_broker.Options.TopicAliasMaximum + 1];
        if (publish.Topic.Length == 0)
        {
            publish.Topic = _topicAliases[alias]
                ?? throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"Topic Alias {alias} used before it was set (MQTT 5.0 §3.3.4).");
        }
        else
        {
            _topicAliases[alias] = publish.Topic;
        }

        // Aliases are per connection and direction: never forwarded (MQTT 5.0 §3.3.2.3.4).
        publish.Properties.TopicAlias = null;
    }

    private ValueTask<MqttIngestResult> StartIngest(MqttPublishPacket publish)
    {
        var message = new MqttIngestMessage
        {
            Topic = publish.Topic,
            Payload = publish.Payload,
            ClientId = _clientId,
            Identity = _identity,
            IdentityDeviceIds = _identityDeviceIds,
            DeviceId = MqttTopic.GetLevel(publish.Topic, _broker.Options.DeviceIdTopicLevel) ?? _clientId,
            QoS = publish.QoS,
            Retain = publish.Retain,
            ProtocolVersion = _channel.ProtocolVersion,
            UserProperties = (IReadOnlyList<MqttUserProperty>?)publish.Properties.UserProperties ?? [],
            ContentType = publish.Properties.ContentType,
            ReceivedAt = _broker.Options.TimeProvider.GetUtcNow(),
        };

        try
        {
            return _broker.IngestHandler!.OnPublishAsync(message, _connectionCts.Token);
        }
        catch (Exception ex)
        {
            MqttServerLog.IngestHandlerFailed(_logger, ex, _clientId);
            return new ValueTask<MqttIngestResult>(MqttIngestResult.Failed(MqttPubAckReasonCode.ImplementationSpecificError));
        }
    }

    /// <summary>
    /// Awaits each pending PUBLISH in receive order, routes accepted ones to subscribers, and acknowledges.
    /// Runs until the receive loop completes the queue, so every ingest task is awaited and every payload returned,
    /// even when the connection is already gone. Acknowledgements whose results are already known are written as one
    /// batch and flushed together; anything buffered is flushed before the loop waits (for a result or for input).
    /// </summary>
    private async Task AcknowledgeLoopAsync()
    {
        ChannelReader<MqttPendingPublish> reader = _pending.Reader;
        bool unflushed = false;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out MqttPendingPublish item))
            {
                if (unflushed && !item.Result.IsCompleted)
                {
                    unflushed = !await TryFlushAsync().ConfigureAwait(false);
                }

                MqttPubAckReasonCode code = await GetResultAsync(item).ConfigureAwait(false);
                MqttPublishPacket publish = item.Packet;
                bool accepted = (byte)code < 0x80;
                if (accepted && !item.IsDuplicate)
                {
                    _broker.RoutePublish(publish, _clientId);
                }

                publish.ReturnPayload();
                if (publish.QoS != MqttQualityOfServiceLevel.AtMostOnce && !_connectionCts.IsCancellationRequested)
                {
                    unflushed |= await AcknowledgeAsync(publish, code, accepted).ConfigureAwait(false);
                }
            }

            if (unflushed)
            {
                unflushed = !await TryFlushAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<MqttPubAckReasonCode> GetResultAsync(MqttPendingPublish item)
    {
        if (item.IsNotAuthorized)
        {
            // MQTT 5.0 §3.4.2.1 / §3.5.2.1: 0x87 Not authorized; not routed, and the QoS 2 exchange ends here.
            return MqttPubAckReasonCode.NotAuthorized;
        }

        if (!item.IsIngest)
        {
            return MqttPubAckReasonCode.Success;
        }

        MqttPubAckReasonCode code;
        try
        {
            code = (await item.Result.ConfigureAwait(false)).ReasonCode;
        }
        catch (Exception ex)
        {
            if (!_connectionCts.IsCancellationRequested)
            {
                MqttServerLog.IngestHandlerFailed(_logger, ex, _clientId);
            }

            code = MqttPubAckReasonCode.ImplementationSpecificError;
        }

        Interlocked.Increment(ref (byte)code < 0x80 ? ref _broker.Statistics._messagesIngested : ref _broker.Statistics._messagesRejected);
        return code;
    }

    /// <summary>Buffers the PUBACK / PUBREC (or, for 3.1.1 failures, closes). Returns true when something was buffered.</summary>
    private async ValueTask<bool> AcknowledgeAsync(MqttPublishPacket publish, MqttPubAckReasonCode code, bool accepted)
    {
        if (!accepted)
        {
            if (publish.QoS == MqttQualityOfServiceLevel.ExactlyOnce)
            {
                _session!.CompleteIncomingQoS2(publish.PacketId);
            }

            Interlocked.Decrement(ref _incomingInflight);
            if (!IsV5)
            {
                // 3.1.1 has no negative acknowledgement: withhold it and close, so the client redelivers on reconnect.
                _channel.Abort();
                return false;
            }
        }
        else if (publish.QoS == MqttQualityOfServiceLevel.AtLeastOnce)
        {
            Interlocked.Decrement(ref _incomingInflight);
        }

        MqttPacketType type = publish.QoS == MqttQualityOfServiceLevel.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        try
        {
            await _channel.SendAsync(new MqttAckPacket(type, publish.PacketId, (byte)code), flush: false, _connectionCts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsConnectionGone(ex))
        {
            // The receive loop sees the closed connection and ends it.
            return false;
        }
    }

    private async ValueTask<bool> TryFlushAsync()
    {
        try
        {
            await _channel.FlushAsync(_connectionCts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsConnectionGone(ex))
        {
            return true;
        }
    }

    private static bool IsConnectionGone(Exception ex) =>
        ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException;
}
