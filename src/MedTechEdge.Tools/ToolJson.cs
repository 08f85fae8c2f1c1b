using System.Text;
using System.Text.Json;

namespace MedTechEdge.Tools;

internal static class ToolJson
{
    private static readonly JsonWriterOptions s_indented = new() { Indented = true };

    /// <summary>Writes indented JSON built by <paramref name="write"/> to <paramref name="stdout"/>.</summary>
    public static void Print(TextWriter stdout, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            write(writer);
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
