using System.Globalization;
using System.Text.Json;

namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// The normalized message as JSON (medtech-semantics §3): written camelCase with nulls left out, as the
/// managed service's mapping debugger shows it; read in either casing, as the open-source connector
/// writes PascalCase.
/// </summary>
public static class MeasurementJson
{
    /// <summary>Writes one measurement as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(measurement);
        writer.WriteStartObject();
        WriteMembers(writer, measurement);
        writer.WriteEndObject();
    }

    /// <summary>Writes the measurement's members into an object the caller opened, so it can add its own (the debugger's error).</summary>
    public static void WriteMembers(Utf8JsonWriter writer, Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(measurement);
        writer.WriteString("type"u8, measurement.Type);
        writer.WriteString("occurrenceTimeUtc"u8, Instant(measurement.OccurrenceTimeUtc));
        if (measurement.IngestionTimeUtc is DateTime ingestion)
        {
            writer.WriteString("ingestionTimeUtc"u8, Instant(ingestion));
        }

        writer.WriteString("deviceId"u8, measurement.DeviceId);
        WriteOptional(writer, "patientId"u8, measurement.PatientId);
        WriteOptional(writer, "encounterId"u8, measurement.EncounterId);
        WriteOptional(writer, "correlationId"u8, measurement.CorrelationId);
        writer.WriteStartArray("properties"u8);
        foreach (MeasurementProperty property in measurement.Properties)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, property.Name);
            writer.WriteString("value"u8, property.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads a measurement in camelCase or PascalCase. Returns null with the error when a required member is missing.</summary>
    public static Measurement? Read(JsonElement element, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "A measurement must be a JSON object.";
            return null;
        }

        string? type = String(element, "type");
        string? deviceId = String(element, "deviceId");
        DateTime? occurrence = Time(element, "occurrenceTimeUtc");
        if (type is null || deviceId is null || occurrence is null)
        {
            error = "A measurement needs type, deviceId and occurrenceTimeUtc.";
            return null;
        }

        var measurement = new Measurement
        {
            Type = type,
            DeviceId = deviceId,
            OccurrenceTimeUtc = occurrence.Value,
            IngestionTimeUtc = Time(element, "ingestionTimeUtc"),
            PatientId = String(element, "patientId"),
            EncounterId = String(element, "encounterId"),
            CorrelationId = String(element, "correlationId"),
        };
        if (Member(element, "properties") is JsonElement { ValueKind: JsonValueKind.Array } properties)
        {
            foreach (JsonElement property in properties.EnumerateArray())
            {
                if (String(property, "name") is string name && String(property, "value") is string value)
                {
                    measurement.Properties.Add(new MeasurementProperty(name, value));
                }
            }
        }

        return measurement;
    }

    private static JsonElement? Member(JsonElement obj, string name)
    {
        foreach (JsonProperty member in obj.EnumerateObject())
        {
            if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return member.Value;
            }
        }

        return null;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && Member(obj, name) is JsonElement { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static DateTime? Time(JsonElement obj, string name) =>
        String(obj, name) is string text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time)
            ? time
            : null;

    private static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
