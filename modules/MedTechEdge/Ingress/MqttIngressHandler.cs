using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>
/// Ingest over MQTT: turns a PUBLISH on a device topic into an inbox message and answers only when
/// it is durably committed. The broker sends PUBACK/PUBREC when this completes, so an acknowledged
/// message survives a crash (issue 4's ingest contract).
/// </summary>
internal sealed partial class MqttIngressHandler(InboxWriter inbox, ILogger<MqttIngressHandler> logger) : IMqttIngestHandler
{
    // 1 while the store refuses messages; logged once per episode, not once per message.
    private int _full;

    public async ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        var record = new InboxMessage
        {
            ReceivedUtc = message.ReceivedAt.UtcDateTime,
            Source = "mqtt",
            DeviceId = message.DeviceId,
            Topic = message.Topic,
            Properties = WriteProperties(message),
            SystemProperties = WriteSystemProperties(message),
            // The payload belongs to the broker's buffer only until this call completes; keep a copy.
            Body = message.Payload.ToArray(),
        };
        try
        {
            // Not cancelled with the connection: once queued, the message is committed whatever happens to the
            // device, and a commit takes milliseconds. Cancelling the wait only made every in-flight message of a
            // closing connection throw.
            await inbox.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
            if (Volatile.Read(ref _full) == 1 && Interlocked.Exchange(ref _full, 0) == 1)
            {
                LogAcceptingAgain();
            }

            return MqttIngestResult.Accepted;
        }
        catch (StoreFullException ex)
        {
            if (Interlocked.Exchange(ref _full, 1) == 0)
            {
                LogStoreFull(ex.MaxSizeBytes);
            }

            // MQTT 5.0 §3.4.2.1: 0x97 Quota exceeded. The broker withholds the ack on 3.1.1, so the device resends later.
            return MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Not durable, so not acknowledged: MQTT 5.0 §3.4.2.1 0x80 Unspecified error; the device resends.
            return MqttIngestResult.Failed(MqttPubAckReasonCode.UnspecifiedError);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest: the store is at its size cap of {MaxSizeBytes} bytes; device messages are refused (MQTT 5: 0x97 Quota exceeded) until delivery frees space.")]
    private partial void LogStoreFull(long maxSizeBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest: the store has room again; device messages are accepted.")]
    private partial void LogAcceptingAgain();

    private static byte[] WriteProperties(MqttIngestMessage message)
    {
        // MQTT 5 user properties are the message's application properties; a name given twice keeps
        // its first value, since a JSON object holds one value per name.
        return WriteObject(message, static (writer, m) =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (MqttUserProperty property in m.UserProperties)
            {
                if (seen.Add(property.Name))
                {
                    writer.WriteString(property.Name, property.Value);
                }
            }
        });
    }

    private static byte[] WriteSystemProperties(MqttIngestMessage message)
    {
        return WriteObject(message, static (writer, m) =>
        {
            // The IoT Hub names, so IotJsonPathContent templates written for the cloud work unchanged (medtech-compat §2).
            writer.WriteString("iothub-connection-device-id", m.DeviceId);
            writer.WriteString("iothub-enqueuedtime", m.ReceivedAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            writer.WriteString("mqtt-topic", m.Topic);
            writer.WriteString("mqtt-client-id", m.ClientId);
            writer.WriteNumber("mqtt-qos", (int)m.QoS);
            if (m.ContentType is not null)
            {
                writer.WriteString("content-type", m.ContentType);
            }
        });
    }

    private static byte[] WriteObject(MqttIngestMessage message, Action<Utf8JsonWriter, MqttIngestMessage> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer, message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
