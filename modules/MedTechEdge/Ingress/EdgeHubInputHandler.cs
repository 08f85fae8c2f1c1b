using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using MedTechEdge.IotEdge;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;

namespace MedTechEdge.Ingress;

/// <summary>
/// Ingest from IoT Edge routes: a message on one of the module's inputs becomes an inbox message whose envelope is
/// the one IoT Hub gives (<c>iothub-connection-device-id</c>, <c>iothub-enqueuedtime</c>, <c>iothub-creation-time-utc</c>,
/// application properties), so IotJsonPathContent templates work unchanged (medtech-semantics §1). The input is
/// acknowledged to edgeHub only after the commit, as MQTT ingest is. With <paramref name="bindToConnectionDeviceId"/>,
/// a message that names the device edgeHub authenticated (<c>iothub-connection-device-id</c>) is bound to it
/// (issue 12, item 1; docs/deploy.md, "Device binding of routed messages").
/// </summary>
internal sealed class EdgeHubInputHandler(IotEdgeSettings identity, IReadOnlyCollection<string> inputs, MqttIngressHandler ingress, bool bindToConnectionDeviceId = true) : IMqttIngestHandler
{
    private static readonly TimeSpan s_firstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_maxPause = TimeSpan.FromSeconds(10);
    private long _ignored;
    private long _held;

    /// <summary>Commits the store refused and that were tried again, the input's PUBACK held meanwhile.</summary>
    public long HeldCount => Interlocked.Read(ref _held);

    /// <summary>Messages on inputs that are not device inputs: acknowledged, not ingested.</summary>
    public long IgnoredCount => Interlocked.Read(ref _ignored);

    public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        if (!TryCreateRecord(message, out InboxMessage? record))
        {
            Interlocked.Increment(ref _ignored);
            return new ValueTask<MqttIngestResult>(MqttIngestResult.Accepted);
        }

        return AcceptAsync(record, cancellationToken);
    }

    /// <summary>The inbox message for a routed message; false when it came on an input that is not a device input.</summary>
    internal bool TryCreateRecord(MqttIngestMessage message, [NotNullWhen(true)] out InboxMessage? record)
    {
        if (!ModuleMessageTopic.TryParseInput(message.Topic, identity.DeviceId, identity.ModuleId, out string input, out Dictionary<string, string> system, out Dictionary<string, string> properties)
            || !inputs.Contains(input))
        {
            record = null;
            return false;
        }

        string? connectionDevice = system.GetValueOrDefault("iothub-connection-device-id");
        string device = connectionDevice ?? identity.DeviceId;
        system["iothub-connection-device-id"] = device;
        system["iothub-enqueuedtime"] = message.ReceivedAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
        system["iothub-inputname"] = input;
        record = new InboxMessage
        {
            ReceivedUtc = message.ReceivedAt.UtcDateTime,
            Source = MessageSources.EdgeHub,
            DeviceId = device,
            Topic = message.Topic,
            // Only an id edgeHub put there binds: without one, the gateway's own id stands in and proves nothing.
            Binding = bindToConnectionDeviceId && !string.IsNullOrEmpty(connectionDevice) ? new DeviceBinding(connectionDevice) : null,
            Properties = WriteObject(properties),
            SystemProperties = WriteObject(system),
            Body = message.Payload.ToArray(),
        };
        return true;
    }

    /// <summary>
    /// Commits the message, and when the store refuses it (at its size cap, or a SQLite error) tries again after a
    /// growing pause instead of refusing it to edgeHub. A refusal would make the subscriber drop the connection so
    /// edgeHub resends, and this connection also carries the twin, the methods and the outputs, among them the
    /// EdgeHub sink that frees the store's space: a full store would cycle it. Holding the PUBACK is the
    /// backpressure edgeHub understands: it stops sending at its limit of unacknowledged messages.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<MqttIngestResult> AcceptAsync(InboxMessage record, CancellationToken cancellationToken)
    {
        TimeSpan pause = s_firstPause;
        while (true)
        {
            MqttIngestResult result = await ingress.Accept(record).ConfigureAwait(false);
            if (result.IsAccepted)
            {
                return result;
            }

            Interlocked.Increment(ref _held);
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, s_maxPause.Ticks));
        }
    }

    private static byte[] WriteObject(Dictionary<string, string> values)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, string> pair in values)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
