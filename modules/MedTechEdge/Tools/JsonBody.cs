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

        // Reads tokens only; a second top-level value or a cut-off one makes the reader throw.
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"not JSON at byte {ex.BytePositionInLine + 1} of line {ex.LineNumber + 1}: {ReplayInput.Describe(ex)}";
        }
    }
}
