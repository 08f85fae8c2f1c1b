using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace MedTechEdge.Mapping.Normalization.Streaming;

/// <summary>
/// Where one member of the body's top level that a streaming plan needs was found: its value's token, by offset
/// into the body, converted only when a template asks for it.
/// </summary>
internal struct StreamingSlot
{
    /// <summary>The member's name was read (a second occurrence makes the plan decline the message).</summary>
    public bool Seen;

    /// <summary>Whether the value's string token held escapes.</summary>
    public bool Escaped;

    /// <summary>The value's token; <see cref="JsonTokenType.None"/> while the member has not been found.</summary>
    public JsonTokenType Type;

    /// <summary>Offset of the value's first byte in the body (a string's opening quote).</summary>
    public int Start;

    /// <summary>Length of the value as the reader gave it (a string's, without its quotes; a container's, zero).</summary>
    public int Length;

    public readonly bool Found => Type != JsonTokenType.None;

    /// <summary>
    /// The value as a measurement carries it, converted as <see cref="ValueText.TryToText(JsonElement, out string?)"/>
    /// converts the same node of a parsed document.
    /// </summary>
    public readonly SlotConversion TryToText(ReadOnlySpan<byte> body, out string? text)
    {
        text = null;
        switch (Type)
        {
            case JsonTokenType.String:
                ReadOnlySpan<byte> content = body.Slice(Start + 1, Length);
                if (!Escaped && Utf8.IsValid(content))
                {
                    text = Encoding.UTF8.GetString(content);
                    return SlotConversion.Converted;
                }

                // Escapes (and the error for bytes that are not UTF-8) as System.Text.Json's GetString has them.
                text = Reread(body).GetString();
                return SlotConversion.Converted;
            case JsonTokenType.Number:
                return NumberText(body.Slice(Start, Length), out text);
            case JsonTokenType.True:
                text = "True";
                return SlotConversion.Converted;
            case JsonTokenType.False:
                text = "False";
                return SlotConversion.Converted;
            case JsonTokenType.Null:
                return SlotConversion.Converted;
            default:
                return SlotConversion.Unconvertible;
        }
    }

    /// <summary>The value as a time in UTC, as <see cref="ValueText.TryToUtc(JsonElement, out DateTime)"/> reads it.</summary>
    public readonly bool TryToUtc(ReadOnlySpan<byte> body, out DateTime utc)
    {
        if (Type == JsonTokenType.String)
        {
            Utf8JsonReader reader = Reread(body);
            if (reader.TryGetDateTime(out DateTime iso))
            {
                utc = ValueText.IsoToUtc(iso);
                return true;
            }

            string? s = reader.GetString();
            if (s is not null && ValueText.TryParseUtc(s, out utc))
            {
                return true;
            }
        }

        utc = default;
        return false;
    }

    // A string token read again on its own, for the conversions System.Text.Json does on tokens.
    private readonly Utf8JsonReader Reread(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body.Slice(Start, Length + 2));
        reader.Read();
        return reader;
    }

    // ValueText.NumberText on the token's bytes (a number token is never escaped).
    private static SlotConversion NumberText(ReadOnlySpan<byte> raw, out string? text)
    {
        if (Utf8Parser.TryParse(raw, out long integer, out int consumed) && consumed == raw.Length)
        {
            text = integer.ToString(CultureInfo.InvariantCulture);
            return SlotConversion.Converted;
        }

        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            text = Encoding.UTF8.GetString(raw);
            return SlotConversion.Converted;
        }

        var reader = new Utf8JsonReader(raw);
        reader.Read();
        if (!reader.TryGetDouble(out double number))
        {
            // Out of double's range: left to the engine, whatever it makes of it.
            text = null;
            return SlotConversion.Decline;
        }

        text = number.ToString("R", CultureInfo.InvariantCulture);
        return SlotConversion.Converted;
    }
}

/// <summary>What became of a slot's conversion to text.</summary>
internal enum SlotConversion
{
    /// <summary>Converted (a JSON null converts to a null text).</summary>
    Converted,

    /// <summary>An object or an array: no text.</summary>
    Unconvertible,

    /// <summary>A value the plan does not convert itself; the message goes to the JSONPath engine.</summary>
    Decline,
}
