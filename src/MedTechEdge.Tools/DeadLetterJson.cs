using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.Storage;

namespace MedTechEdge.Tools;

/// <summary>One dead letter as JSON: what <c>deadletters list/show</c> print and what goes out on output <c>deadletters</c>.</summary>
internal static class DeadLetterJson
{
    /// <summary>The id, time, stage, reason and where the message came from.</summary>
    public static void WriteSummary(Utf8JsonWriter writer, DeadLetter letter)
    {
        writer.WriteNumber("id", letter.Id);
        writer.WriteString("createdUtc", letter.CreatedUtc.ToString("o", CultureInfo.InvariantCulture));
        writer.WriteString("stage", letter.StageName);
        writer.WriteString("errorKind", letter.KindName);
        writer.WriteString("error", letter.Error);
        writer.WriteString("source", letter.Message.Source);
        writer.WriteString("deviceId", letter.Message.DeviceId);
        writer.WriteString("topic", letter.Message.Topic);
        // The id in the message's log entries (docs/operations.md, Logs): from a log line to its dead letter and back.
        writer.WriteString("correlationId", letter.Message.CorrelationId);
    }

    /// <summary>
    /// The summary, the envelope and the body as text (a dead letter is often not JSON at all), as one object. This is
    /// the shape of output <c>deadletters</c>, which routes and their readers depend on: the body stays a string.
    /// </summary>
    public static void WriteFull(Utf8JsonWriter writer, DeadLetter letter)
    {
        writer.WriteStartObject();
        WriteEnvelope(writer, letter);
        writer.WriteString("body", Encoding.UTF8.GetString(letter.Message.Body));
        writer.WriteEndObject();
    }

    /// <summary>
    /// What <c>deadletters show</c> prints for a person: as <see cref="WriteFull"/>, but a body that is JSON is written
    /// as JSON (<c>"bodyFormat":"json"</c>), not as an escaped string; any other body is text with
    /// <c>"bodyFormat":"text"</c> and <c>bodyError</c>, why it is not JSON.
    /// </summary>
    public static void WriteReadable(Utf8JsonWriter writer, DeadLetter letter)
    {
        writer.WriteStartObject();
        WriteEnvelope(writer, letter);
        if (JsonBody.Check(letter.Message.Body) is { } problem)
        {
            writer.WriteString("bodyFormat", "text");
            writer.WriteString("bodyError", problem);
            writer.WriteString("body", Encoding.UTF8.GetString(letter.Message.Body));
        }
        else
        {
            writer.WriteString("bodyFormat", "json");
            writer.WritePropertyName("body");
            writer.WriteRawValue(letter.Message.Body);
        }

        writer.WriteEndObject();
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, DeadLetter letter)
    {
        WriteSummary(writer, letter);
        writer.WritePropertyName("properties");
        writer.WriteRawValue(string.IsNullOrEmpty(letter.Message.PropertiesJson) ? "{}" : letter.Message.PropertiesJson);
        writer.WritePropertyName("systemProperties");
        writer.WriteRawValue(string.IsNullOrEmpty(letter.Message.SystemPropertiesJson) ? "{}" : letter.Message.SystemPropertiesJson);
    }
}
