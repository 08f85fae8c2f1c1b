using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MedTechEdge.JmesPath;

/// <summary>Serialization of values as JSON.</summary>
public readonly partial struct JmesPathValue
{
    private static readonly JsonWriterOptions s_compactOptions = new()
    {
        // Keep non-ASCII text readable in to_string and in debugger output; the output is still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the value as JSON. Numbers from the input keep their original text. Non-finite floats (from a MedTech
    /// float division by zero) have no JSON form and are written as the strings <c>"Infinity"</c>,
    /// <c>"-Infinity"</c> and <c>"NaN"</c>, as Json.NET does by default.
    /// </summary>
    /// <param name="writer">The destination writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_representation == Representation.Element)
        {
            _element.WriteTo(writer);
            return;
        }

        switch (_kind)
        {
            case JmesPathValueKind.Null:
                writer.WriteNullValue();
                break;
            case JmesPathValueKind.Boolean:
                writer.WriteBooleanValue(_bits != 0);
                break;
            case JmesPathValueKind.Number:
                WriteNumber(writer);
                break;
            case JmesPathValueKind.String:
                writer.WriteStringValue((string)_payload!);
                break;
            case JmesPathValueKind.Array:
                writer.WriteStartArray();
                foreach (JmesPathValue item in (List<JmesPathValue>)_payload!)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (KeyValuePair<string, JmesPathValue> member in EnumerateObject())
                {
                    writer.WritePropertyName(member.Key);
                    member.Value.WriteTo(writer);
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>The value as compact JSON text.</summary>
    /// <returns>JSON text, e.g. <c>{"a":[1,2]}</c>.</returns>
    public string ToJsonString()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_compactOptions))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The value as compact JSON text; see <see cref="ToJsonString"/>.</summary>
    /// <returns>JSON text.</returns>
    public override string ToString() => ToJsonString();

    private void WriteNumber(Utf8JsonWriter writer)
    {
        if (_isInteger)
        {
            writer.WriteNumberValue(_bits);
            return;
        }

        double value = Double;
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"));
        }
    }
}
