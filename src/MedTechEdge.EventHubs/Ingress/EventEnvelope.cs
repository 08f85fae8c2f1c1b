using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MedTechEdge.Storage;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// Turns an event read from a hub into an inbox message with MedTech's envelope (medtech-semantics §1): Body = the
/// event's body, Properties = its application properties, SystemProperties = its system properties. For an event the
/// SDK received, <see cref="SdkEventData.SystemProperties"/> holds the message annotations: <c>x-opt-sequence-number</c>,
/// <c>x-opt-offset</c>, <c>x-opt-enqueued-time</c>, <c>x-opt-partition-key</c>, and on IoT Hub-routed events
/// <c>iothub-connection-device-id</c>, <c>iothub-enqueuedtime</c> and friends, so IotJsonPathContent mappings written for
/// the cloud read the same paths here.
/// </summary>
internal static class EventEnvelope
{
    internal const string ConnectionDeviceId = "iothub-connection-device-id";

    /// <summary>The inbox message for an event.</summary>
    /// <param name="e">The event as the SDK received it.</param>
    /// <param name="topic">The partition it was read from, as the inbox's topic (<c>{hub}/Partitions/{id}</c>).</param>
    /// <param name="receivedUtc">When the module read it: the measurement's ingestion time.</param>
    /// <param name="bind">
    /// Bind to <c>iothub-connection-device-id</c> when present: IoT Hub stamps it from the device's own authentication and
    /// a sender cannot set it (IoT Hub routing overwrites system properties), so it is the sender's identity as
    /// edgeHub's is. Without it the event is unbound: a hub's SAS policy authenticates an application, not a device.
    /// </param>
    /// <param name="withBody">False for a dead letter that does not keep the body (or whose body is not bytes).</param>
    public static InboxMessage ToInboxMessage(SdkEventData e, string topic, DateTime receivedUtc, bool bind, bool withBody = true)
    {
        string? device = e.SystemProperties.TryGetValue(ConnectionDeviceId, out object? id) ? id as string : null;
        return new InboxMessage
        {
            ReceivedUtc = receivedUtc,
            Source = MessageSources.EventHub,
            DeviceId = device,
            Topic = topic,
            Binding = bind && !string.IsNullOrEmpty(device) ? new DeviceBinding(device) : null,
            Properties = WriteProperties(e.Properties),
            SystemProperties = WriteSystemProperties(e),
            Body = withBody ? BodyOf(e) : [],
        };
    }

    /// <summary>The body's bytes, without a copy when the SDK's buffer is a whole array of its own.</summary>
    internal static byte[] BodyOf(SdkEventData e)
    {
        ReadOnlyMemory<byte> body = e.EventBody.ToMemory();
        // The SDK builds each received event's body afresh and never reuses it, so the inbox may keep the array.
        return MemoryMarshal.TryGetArray(body, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.ToArray();
    }

    private static byte[] WriteProperties(IDictionary<string, object> properties)
    {
        if (properties.Count == 0)
        {
            return PropertyObjectWriter.EmptyObject;
        }

        Utf8JsonWriter writer = PropertyObjectWriter.Start();
        foreach (KeyValuePair<string, object> pair in properties)
        {
            WriteValue(writer, pair.Key, pair.Value);
        }

        return PropertyObjectWriter.End(writer);
    }

    private static byte[] WriteSystemProperties(SdkEventData e)
    {
        Utf8JsonWriter writer = PropertyObjectWriter.Start();
        IReadOnlyDictionary<string, object> system = e.SystemProperties;
        foreach (KeyValuePair<string, object> pair in system)
        {
            WriteValue(writer, pair.Key, pair.Value);
        }

        // The service always annotates these; an event built otherwise (a test's, a future SDK that moves them) still
        // gets them from the SDK's typed members, so the envelope's paths never depend on where the SDK keeps them.
        if (!system.ContainsKey("x-opt-sequence-number"))
        {
            writer.WriteNumber("x-opt-sequence-number"u8, e.SequenceNumber);
        }

        if (!system.ContainsKey("x-opt-offset") && e.OffsetString is { } offset)
        {
            writer.WriteString("x-opt-offset"u8, offset);
        }

        if (!system.ContainsKey("x-opt-enqueued-time"))
        {
            WriteInstant(writer, "x-opt-enqueued-time", e.EnqueuedTime.UtcDateTime);
        }

        if (!system.ContainsKey("x-opt-partition-key") && e.PartitionKey is { } key)
        {
            writer.WriteString("x-opt-partition-key"u8, key);
        }

        return PropertyObjectWriter.End(writer);
    }

    /// <summary>
    /// One AMQP value as JSON, keeping its type as MedTech's envelope did (strings stay strings, numbers numbers); a
    /// timestamp in the round-trip form IoT Hub writes; binary as base64; anything else by its invariant text.
    /// </summary>
    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case long l:
                writer.WriteNumber(name, l);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case short or sbyte or byte or ushort or uint:
                writer.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumber(name, u);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(name, d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumber(name, f);
                break;
            case decimal m:
                writer.WriteNumber(name, m);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case DateTime t:
                WriteInstant(writer, name, t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t);
                break;
            case DateTimeOffset o:
                WriteInstant(writer, name, o.UtcDateTime);
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                break;
            case BinaryData data:
                writer.WriteBase64String(name, data.ToMemory().Span);
                break;
            default:
                writer.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTime utc)
    {
        // The round-trip form ("o", seven fractional digits), as IoT Hub writes iothub-enqueuedtime.
        Span<byte> instant = stackalloc byte[40];
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).TryFormat(instant, out int length, "o", CultureInfo.InvariantCulture);
        writer.WriteString(name, instant[..length]);
    }
}
