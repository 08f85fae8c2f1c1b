using System.Globalization;
using System.Text;

namespace MedTechEdge.Storage;

/// <summary>
/// A raw device message as received, before any mapping. Properties are kept as UTF-8 JSON object text,
/// as the ingress writes them and as the mapping envelope <c>{Body, Properties, SystemProperties}</c> reads
/// them, so nothing is transcoded on the way from the device to the mapping.
/// </summary>
public sealed class InboxMessage
{
    private string? _correlationId;

    /// <summary>Store row id; 0 until committed.</summary>
    public long Id { get; init; }

    /// <summary>When the module received it (UTC); becomes the measurement's ingestion time.</summary>
    public DateTime ReceivedUtc { get; init; }

    /// <summary>The ingress that took it in: one of <see cref="MessageSources"/> (<c>mqtt</c>, <c>edgehub</c>, <c>eventhub</c>, <c>replay</c>).</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Links the log entries of this message from ingest to persist or dead letter (and through a requeue, which keeps
    /// it). Made here, not by the store, so the ingress can name it before the commit. Not the measurement
    /// correlation id of MedTech's mappings (SampledData grouping): this one is the module's own and never leaves it.
    /// </summary>
    public string CorrelationId
    {
        // Drawn on first use, not in an initializer: a row read back sets its stored id, and an initializer would
        // draw (and throw away) one for every message Map or Persist reads.
        get => _correlationId ??= NewCorrelationId();
        init => _correlationId = value;
    }

    /// <summary>The device id the ingress derived (topic segment or client id), if any.</summary>
    public string? DeviceId { get; init; }

    /// <summary>
    /// The ids the authenticated sender may speak for, stamped by the ingress; null when the message is unbound (an
    /// anonymous connection, or binding off). Map dead-letters a message whose normalized device id it does not allow.
    /// </summary>
    public DeviceBinding? Binding { get; init; }

    /// <summary>The MQTT topic or IoT Edge input name, if any.</summary>
    public string? Topic { get; init; }

    /// <summary>Application properties: a JSON object, UTF-8.</summary>
    public byte[] Properties { get; init; } = EmptyObject;

    /// <summary>Broker (system) properties: a JSON object, UTF-8.</summary>
    public byte[] SystemProperties { get; init; } = EmptyObject;

    /// <summary><see cref="Properties"/> as text (decoded or encoded on each use: for tools and tests).</summary>
    public string PropertiesJson
    {
        get => Encoding.UTF8.GetString(Properties);
        init => Properties = Encoding.UTF8.GetBytes(value);
    }

    /// <summary><see cref="SystemProperties"/> as text (decoded or encoded on each use: for tools and tests).</summary>
    public string SystemPropertiesJson
    {
        get => Encoding.UTF8.GetString(SystemProperties);
        init => SystemProperties = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>A fresh correlation id: 16 hex digits, random (unique enough to follow one message through a log).</summary>
    public static string NewCorrelationId() => ((ulong)Random.Shared.NextInt64()).ToString("x16", CultureInfo.InvariantCulture);

    private static byte[] EmptyObject => [(byte)'{', (byte)'}'];

    /// <summary>The body bytes exactly as received.</summary>
    public required byte[] Body { get; init; }
}
