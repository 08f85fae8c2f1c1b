using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    private string?[]? _topicAliases;

    /// <summary>
    /// Validates the PUBLISH, starts the ingest call when its topic is a device topic, and queues it for the
    /// acknowledgement loop. The handler is not awaited here: the next packet can be read while it runs.
    /// </summary>
    private async Task OnPublishAsync(MqttPublishPacket publish)
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

        bool ingest = !duplicate && _broker.IsIngestTopic(publish.Topic);
        ValueTask<MqttIngestResult> result = ingest ? StartIngest(publish) : default;
        await _pending.Writer.WriteAsync(new MqttPendingPublish(publish, result, ingest, duplicate), _connectionCts.Token).ConfigureAwait(false);
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
            DeviceId = MqttTopic.GetLevel(publish.Topic, _broker.Options.DeviceIdTopicLevel) ?? _clientId,
            QoS = publish.QoS,
            Retain = publish.Retain,
            ProtocolVersion = _channel.ProtocolVersion,
            UserProperties = (IReadOnlyList<MqttUserProperty>?)publish.Properties.UserProperties ?? [],
            ContentType = publish.Properties.ContentType,
            ReceivedAt = DateTimeOffset.UtcNow,
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
    /// even when the connection is already gone.
    /// </summary>
    private async Task AcknowledgeLoopAsync()
    {
        await foreach (MqttPendingPublish item in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            MqttPublishPacket publish = item.Packet;
            MqttPubAckReasonCode code = MqttPubAckReasonCode.Success;
            if (item.IsIngest)
            {
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
            }

            bool accepted = (byte)code < 0x80;
            if (accepted && !item.IsDuplicate)
            {
                _broker.Route(new MqttStoredMessage(publish, _clientId, MqttStoredMessage.NowTicks));
            }

            publish.ReturnPayload();
            if (publish.QoS == MqttQualityOfServiceLevel.AtMostOnce || _connectionCts.IsCancellationRequested)
            {
                continue;
            }

            await AcknowledgeAsync(publish, code, accepted).ConfigureAwait(false);
        }
    }

    private async Task AcknowledgeAsync(MqttPublishPacket publish, MqttPubAckReasonCode code, bool accepted)
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
                return;
            }
        }
        else if (publish.QoS == MqttQualityOfServiceLevel.AtLeastOnce)
        {
            Interlocked.Decrement(ref _incomingInflight);
        }

        MqttPacketType type = publish.QoS == MqttQualityOfServiceLevel.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        try
        {
            await _channel.SendAsync(new MqttAckPacket(type, publish.PacketId, (byte)code), _connectionCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The receive loop sees the closed connection and ends it.
        }
    }
}
