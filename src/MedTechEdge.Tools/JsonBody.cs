using System.Text.Json;

namespace MedTechEdge.Tools;

/// <summary>Whether a message body is one JSON value, before a tool prints it as JSON.</summary>
internal static class JsonBody
{
    /// <summary>Null for one complete JSON value (RFC 8259 section 2); otherwise why not, with the byte position.</summary>
    public static string? Check(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "the body is empty";
        }

        return FirstError(body) is { } ex ? $"not JSON at byte {ex.BytePositionInLine + 1} of line {ex.LineNumber + 1}: {ReplayInput.Describe(ex)}" : null;
    }

    /// <summary>Null for one complete JSON value; otherwise the reader's error. Reads tokens only, builds nothing.</summary>
    public static JsonException? FirstError(ReadOnlySpan<byte> json)
    {
        // A second top-level value or a cut-off one makes the reader throw; this cold path is where tools look at input.
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }
}
