using System.Buffers;
using System.Text.Json;

namespace MedTechEdge.Storage;

/// <summary>
/// A refused outbox row that has no single source message (a SampledData window, a Patient or Device written ahead)
/// as a dead letter's message, and back: the resource is the body, <c>Type/id</c> the topic, and the typed outbox
/// columns are the properties, so a requeue restores the row as it was (a window is merged again, not overwritten).
/// </summary>
public static class OutboxResourceLetter
{
    /// <summary>The dead-letter message for <paramref name="record"/>.</summary>
    public static InboxMessage ToMessage(OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind"u8, record.Kind.ToString());
            if (record.PatientId is not null)
            {
                writer.WriteString("patientId"u8, record.PatientId);
            }

            if (record.EncounterId is not null)
            {
                writer.WriteString("encounterId"u8, record.EncounterId);
            }

            if (record.DeviceTimeUtc is { } time)
            {
                writer.WriteString("deviceTimeUtc"u8, time);
            }

            writer.WriteEndObject();
        }

        return new InboxMessage
        {
            Source = MessageSources.Outbox,
            DeviceId = record.DeviceId,
            Topic = record.ResourceType + "/" + record.ResourceId,
            Properties = buffer.WrittenSpan.ToArray(),
            Body = record.Body,
        };
    }

    /// <summary>The outbox row a letter from <see cref="ToMessage"/> came from, made anew at <paramref name="nowUtc"/>.</summary>
    public static OutboxRecord ToRecord(InboxMessage message, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(message);
        string topic = message.Topic ?? "/";
        int slash = topic.IndexOf('/', StringComparison.Ordinal);
        string type = topic[..Math.Max(0, slash)];
        using JsonDocument properties = JsonDocument.Parse(message.Properties);
        JsonElement root = properties.RootElement;
        OutboxKind kind = root.TryGetProperty("kind"u8, out JsonElement k) && Enum.TryParse(k.GetString(), out OutboxKind parsed)
            ? parsed
            : LegacyKind(type, message.Body);
        return new OutboxRecord
        {
            CreatedUtc = nowUtc,
            DeviceId = message.DeviceId ?? string.Empty,
            Kind = kind,
            ResourceType = type,
            ResourceId = topic[(slash + 1)..],
            Body = message.Body,
            PatientId = root.TryGetProperty("patientId"u8, out JsonElement p) ? p.GetString() : null,
            EncounterId = root.TryGetProperty("encounterId"u8, out JsonElement e) ? e.GetString() : null,
            DeviceTimeUtc = root.TryGetProperty("deviceTimeUtc"u8, out JsonElement t) ? t.GetDateTime().ToUniversalTime() : null,
        };
    }

    /// <summary>
    /// Letters from before the outbox had a kind (schema 5) carry none: the same rule as migration 5 → 6. Only these
    /// old letters are searched; a window requeued as a plain resource would overwrite the server's copy.
    /// </summary>
    private static OutboxKind LegacyKind(string type, byte[] body) => type switch
    {
        "Patient" or "Device" or "Encounter" => OutboxKind.Identity,
        "Observation" when body.AsSpan().IndexOf("\"valueSampledData\""u8) >= 0 => OutboxKind.SampledDataWindow,
        _ => OutboxKind.Resource,
    };
}
