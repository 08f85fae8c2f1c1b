using System.Buffers;
using System.Text.Json;
using MedTechEdge.JsonPath.Lexing;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>Filter literals as JsonElements, built once at parse time so comparisons treat them like document values.</summary>
internal static class Literals
{
    public static readonly JsonElement True = Parse("true");
    public static readonly JsonElement False = Parse("false");
    public static readonly JsonElement Null = Parse("null");

    public static JsonElement FromString(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>§2.3.5.1 <c>number = (int / "-0") [ frac ] [ exp ]</c>: no leading zeros, "-0" allowed.</summary>
    public static JsonElement FromNumber(Token token, string expression)
    {
        string text = token.Text!;
        int digits = text[0] == '-' ? 1 : 0;
        if (text.Length > digits + 1 && text[digits] == '0' && char.IsAsciiDigit(text[digits + 1]))
        {
            ThrowHelper.Syntax("Invalid number '" + text + "' (leading zero)", token.Start, expression);
        }

        return Parse(text);
    }

    private static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
