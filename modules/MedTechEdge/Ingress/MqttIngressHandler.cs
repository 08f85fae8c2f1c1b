using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>
/// Ingest over MQTT: turns a PUBLISH on a device topic into an inbox message and answers only when
/// it is durably committed. The broker sends PUBACK/PUBREC when this completes, so an acknowledged
/// message survives a crash (issue 4's ingest contract). A message from an authenticated connection carries the
/// sender's <see cref="DeviceBinding"/> unless binding is <see cref="DeviceBindingMode.Off"/> (issue 12, item 1).
/// </summary>
internal sealed partial class MqttIngressHandler(InboxWriter inbox, ILogger<MqttIngressHandler> logger, DeviceBindingMode deviceBinding = DeviceBindingMode.On) : IMqttIngestHandler
{
    // 1 while the store refuses messages; logged once per episode, not once per message.
    private int _full;

    public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken) => Accept(CreateRecord(message));

    /// <summary>The inbox message for a PUBLISH: body, envelope properties and the sender's binding.</summary>
    internal InboxMessage CreateRecord(MqttIngestMessage message) => new()
    {
        ReceivedUtc = message.ReceivedAt.UtcDateTime,
        Source = MessageSources.Mqtt,
        DeviceId = message.DeviceId,
        Topic = message.Topic,
        Binding = BindingOf(message),
        Properties = WriteProperties(message),
        SystemProperties = WriteSystemProperties(message),
        // The payload belongs to the broker's buffer only until this call completes; keep a copy.
        Body = message.Payload.ToArray(),
    };

    /// <summary>
    /// The sender's binding: its authenticated identity and the further ids its credential lists. Null for an anonymous
    /// connection (loopback devices without credentials stay unbound, docs/mqtt.md), for a broker this module
    /// subscribes to (it tells no identity), and when binding is off.
    /// </summary>
    private DeviceBinding? BindingOf(MqttIngestMessage message)
    {
        if (deviceBinding == DeviceBindingMode.Off || string.IsNullOrEmpty(message.Identity))
        {
            return null;
        }

        // One binding per identity, reused while its credential's list is the same instance (the broker hands every
        // message of a connection the same one): its stored form is then encoded once, not once per message.
        if (_bindings.TryGetValue(message.Identity, out (IReadOnlyList<string> Source, DeviceBinding Binding) known)
            && ReferenceEquals(known.Source, message.IdentityDeviceIds))
        {
            return known.Binding;
        }

        if (_bindings.Count >= MaxCachedBindings)
        {
            _bindings.Clear();
        }

        var binding = new DeviceBinding(message.Identity, message.IdentityDeviceIds);
        _bindings[message.Identity] = (message.IdentityDeviceIds, binding);
        return binding;
    }

    // More than the devices one gateway serves; the cap only bounds what a stream of new identities could hold.
    private const int MaxCachedBindings = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IReadOnlyList<string> Source, DeviceBinding Binding)> _bindings = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues an inbox message for the next group commit; the result completes when it is durable (or refused).
    /// Not cancelled with the connection: once queued, the message is committed whatever happens to the device, and a
    /// commit takes milliseconds.
    /// </summary>
    internal ValueTask<MqttIngestResult> Accept(InboxMessage record)
    {
        // Debug only: the device id is operational, but not for Information (docs/operations.md, Logs).
        LogReceived(record.CorrelationId, record.Source, record.DeviceId, record.Body.Length);
        InboxCommit commit = inbox.Enqueue(record, out _);
        return new ValueTask<MqttIngestResult>(CommitResultSource.For(commit, this), 0);
    }

    /// <summary>The result of a message whose commit succeeded.</summary>
    internal MqttIngestResult OnCommitted()
    {
        if (Volatile.Read(ref _full) == 1 && Interlocked.Exchange(ref _full, 0) == 1)
        {
            LogAcceptingAgain();
        }

        return MqttIngestResult.Accepted;
    }

    /// <summary>The result of a message the store refused for its size cap.</summary>
    internal MqttIngestResult OnStoreFull(StoreFullException ex)
    {
        if (Interlocked.Exchange(ref _full, 1) == 0)
        {
            LogStoreFull(ex.MaxSizeBytes);
        }

        // MQTT 5.0 §3.4.2.1: 0x97 Quota exceeded. The broker withholds the ack on 3.1.1, so the device resends later.
        return MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest: the store is at its size cap of {MaxSizeBytes} bytes; device messages are refused (MQTT 5: 0x97 Quota exceeded) until delivery frees space.")]
    private partial void LogStoreFull(long maxSizeBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest: the store has room again; device messages are accepted.")]
    private partial void LogAcceptingAgain();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingest: message {CorrelationId} from {Source} device {DeviceId}, {Bytes} bytes, joins the next inbox commit.")]
    private partial void LogReceived(string correlationId, string source, string? deviceId, int bytes);

    private static byte[] WriteProperties(MqttIngestMessage message)
    {
        if (message.UserProperties.Count == 0)
        {
            // Most devices send none; nothing writes to a stored property object, so one instance serves all.
            return PropertyObjectWriter.EmptyObject;
        }

        // MQTT 5 user properties are the message's application properties; a name given twice keeps
        // its first value, since a JSON object holds one value per name.
        Utf8JsonWriter writer = PropertyObjectWriter.Start();
        IReadOnlyList<MqttUserProperty> properties = message.UserProperties;
        for (int i = 0; i < properties.Count; i++)
        {
            if (!IsNamedEarlier(properties, i))
            {
                writer.WriteString(properties[i].Name, properties[i].Value);
            }
        }

        return PropertyObjectWriter.End(writer);
    }

    private static bool IsNamedEarlier(IReadOnlyList<MqttUserProperty> properties, int index)
    {
        // A quadratic scan, but over the handful of properties a device sends; no set per message.
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(properties[j].Name, properties[index].Name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] WriteSystemProperties(MqttIngestMessage message)
    {
        Utf8JsonWriter writer = PropertyObjectWriter.Start();
        // The IoT Hub names, so IotJsonPathContent templates written for the cloud work unchanged (medtech-semantics §1).
        writer.WriteString("iothub-connection-device-id"u8, message.DeviceId);
        // The round-trip form ("o", seven fractional digits), as IoT Hub writes it; the writer's own DateTime form trims zeros.
        Span<byte> instant = stackalloc byte[40];
        message.ReceivedAt.UtcDateTime.TryFormat(instant, out int length, "o", CultureInfo.InvariantCulture);
        writer.WriteString("iothub-enqueuedtime"u8, instant[..length]);
        writer.WriteString("mqtt-topic"u8, message.Topic);
        writer.WriteString("mqtt-client-id"u8, message.ClientId);
        writer.WriteNumber("mqtt-qos"u8, (int)message.QoS);
        if (message.ContentType is not null)
        {
            writer.WriteString("content-type"u8, message.ContentType);
        }

        return PropertyObjectWriter.End(writer);
    }
}
