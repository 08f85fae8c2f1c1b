using System.Buffers;
using System.Text.Json;

namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// Builds the document every device-mapping expression is evaluated against:
/// <c>{"Body": &lt;body&gt;, "Properties": {...}, "SystemProperties": {...}}</c> (medtech-compat §2).
/// Every ingress (MQTT, IoT Edge route, replay) goes through here, so a template sees the same shape
/// whichever way a message arrived.
/// </summary>
public static class DeviceEnvelope
{
    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true };

    /// <summary>
    /// Composes and parses the envelope. An empty body becomes <c>null</c>. Returns false, with the
    /// reason, when the body is not JSON (the message then goes to dead letters).
    /// </summary>
    /// <param name="body">The body bytes as received (UTF-8 JSON).</param>
    /// <param name="propertiesJson">Application properties as JSON object text (trusted: written by the ingress).</param>
    /// <param name="systemPropertiesJson">Broker properties as JSON object text (trusted: written by the ingress).</param>
    /// <param name="envelope">The parsed envelope; the caller disposes it.</param>
    /// <param name="error">Why the body was rejected.</param>
    public static bool TryBuild(ReadOnlySpan<byte> body, string propertiesJson, string systemPropertiesJson, out JsonDocument? envelope, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + propertiesJson.Length + systemPropertiesJson.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Body"u8);
            if (IsBlank(body))
            {
                writer.WriteNullValue();
            }
            else
            {
                try
                {
                    // Validates the body as one JSON value (RFC 8259 §2) while copying it.
                    writer.WriteRawValue(body, skipInputValidation: false);
                }
                catch (JsonException ex)
                {
                    envelope = null;
                    error = "Invalid event message. Cannot be parsed into a JSON object: " + ex.Message;
                    return false;
                }
            }

            writer.WritePropertyName("Properties"u8);
            writer.WriteRawValue(propertiesJson, skipInputValidation: true);
            writer.WritePropertyName("SystemProperties"u8);
            writer.WriteRawValue(systemPropertiesJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        envelope = JsonDocument.Parse(buffer.WrittenMemory);
        error = null;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        for (int i = 0; i < body.Length; i++)
        {
            byte b = body[i];
            if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
            {
                return false;
            }
        }

        return true;
    }
}
