using System.Net.Sockets;
using System.Threading.Channels;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Mqtt.Client;

/// <summary>
/// One connection's message flow. Two loops share a bounded queue of handler calls in receive order:
/// <list type="bullet">
/// <item>dispatch: reads a message, starts its handler call at once (so many are in flight and the handler can
/// group-commit them), queues the pending call;</item>
/// <item>acknowledge: awaits the calls in queue order and answers each accepted QoS 1/2 message with PUBACK / PUBREC,
/// so acknowledgements leave in the order the PUBLISHes arrived (MQTT 5.0 §4.6, [MQTT-4.6.0-2], [MQTT-4.6.0-3]).</item>
/// </list>
/// The first failed QoS 1/2 call stops the acknowledgements: a later message cannot be acknowledged before an earlier
/// one, and the failed one must come again, which the broker does only on a new connection ([MQTT-4.4.0-1]). So the
/// connection is closed; calls still running finish first and are not acknowledged, and their messages come again too.
/// </summary>
public sealed partial class MqttSubscriber
{
    private async Task RunSessionAsync(MqttClient client, CancellationToken stopping)
    {
        var inFlight = Channel.CreateBounded<InFlightMessage>(new BoundedChannelOptions(_options.ReceiveMaximum)
        {
            SingleReader = true,
            SingleWriter = true,
        });

        // Cancelled on stop, or by the acknowledgement loop when it gives up on this connection: messages already
        // received but not dispatched would only come again anyway.
        using var dispatching = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task<bool> acknowledging = AcknowledgeLoopAsync(client, inFlight.Reader, dispatching);
        try
        {
            await foreach (MqttApplicationMessage message in client.ReceivedMessages.ReadAllAsync(dispatching.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref Statistics._messagesReceived);
                if (message.Dup)
                {
                    Interlocked.Increment(ref Statistics._messagesRedelivered);
                }

                ValueTask<MqttIngestResult> result = InvokeHandler(message);
                // No token: the acknowledgement loop drains the queue until it is completed, so this always finishes,
                // and every started call is queued and observed.
                await inFlight.Writer.WriteAsync(new InFlightMessage(message, result), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (dispatching.IsCancellationRequested)
        {
            // Stopping or failed: messages not yet dispatched stay unacknowledged and come again.
        }
        finally
        {
            inFlight.Writer.TryComplete();
        }

        bool healthy = await acknowledging.ConfigureAwait(false);
        if (healthy)
        {
            // Stopping, or the broker closed: a DISCONNECT 0x00 keeps the session (its expiry was set at CONNECT).
            await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private ValueTask<MqttIngestResult> InvokeHandler(MqttApplicationMessage message)
    {
        var ingest = new MqttIngestMessage
        {
            Topic = message.Topic,
            Payload = message.Payload,
            ClientId = _options.ClientId,
            DeviceId = MqttTopic.GetLevel(message.Topic, _options.DeviceIdTopicLevel) is { Length: > 0 } deviceId ? deviceId : message.Topic,
            QoS = message.QoS,
            Retain = message.Retain,
            ProtocolVersion = _options.ProtocolVersion,
            UserProperties = message.UserProperties,
            ContentType = message.ContentType,
            ReceivedAt = _options.TimeProvider.GetUtcNow(),
        };
        try
        {
            return _handler.OnPublishAsync(ingest, _abort.Token);
        }
        catch (Exception ex)
        {
            // A handler that throws before its first await counts like one whose task faults.
            return ValueTask.FromException<MqttIngestResult>(ex);
        }
    }

    /// <summary>Returns false when it stopped acknowledging (handler failure or lost connection) and closed the connection.</summary>
    private async Task<bool> AcknowledgeLoopAsync(MqttClient client, ChannelReader<InFlightMessage> inFlight, CancellationTokenSource dispatching)
    {
        bool acknowledging = true;
        await foreach (InFlightMessage item in inFlight.ReadAllAsync().ConfigureAwait(false))
        {
            bool accepted = await IsAcceptedAsync(item).ConfigureAwait(false);
            if (!accepted && item.Message.QoS != MqttQualityOfServiceLevel.AtMostOnce && acknowledging)
            {
                acknowledging = false;
                await dispatching.CancelAsync().ConfigureAwait(false);
                // DISCONNECT 0x00 first flushes the acknowledgements sent so far; the session stays on the broker.
                await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (!accepted || !acknowledging)
            {
                continue;
            }

            try
            {
                // Leave the packet buffered when the next result is already there: a run of acks goes out in one write.
                bool flush = !(inFlight.TryPeek(out InFlightMessage next) && next.Result.IsCompleted);
                await client.AcknowledgeAsync(item.Message, flush, _abort.Token).ConfigureAwait(false);
                if (item.Message.QoS != MqttQualityOfServiceLevel.AtMostOnce)
                {
                    Interlocked.Increment(ref Statistics._messagesAcknowledged);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException or OperationCanceledException)
            {
                // The connection is gone: what is left is resent on the next one.
                acknowledging = false;
                await dispatching.CancelAsync().ConfigureAwait(false);
            }
        }

        return acknowledging;
    }

    private async ValueTask<bool> IsAcceptedAsync(InFlightMessage item)
    {
        try
        {
            // Once stopping without waiting, a call that ignores its token is abandoned: the message owns its
            // payload array, so nothing is returned to a pool under the handler's feet.
            MqttIngestResult result = item.Result.IsCompleted
                ? await item.Result.ConfigureAwait(false)
                : await item.Result.AsTask().WaitAsync(_abort.Token).ConfigureAwait(false);
            if (!result.IsAccepted)
            {
                Interlocked.Increment(ref Statistics._handlerFailures);
                MqttSubscriberLog.HandlerRefused(_logger, item.Message.QoS, result.ReasonCode);
            }

            return result.IsAccepted;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Stopped without waiting: not stored, so not acknowledged.
            return false;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref Statistics._handlerFailures);
            MqttSubscriberLog.HandlerFailed(_logger, ex, item.Message.QoS);
            return false;
        }
    }

    private readonly record struct InFlightMessage(MqttApplicationMessage Message, ValueTask<MqttIngestResult> Result);
}
