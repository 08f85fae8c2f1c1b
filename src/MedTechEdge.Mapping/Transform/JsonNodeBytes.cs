using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// A JSON node as UTF-8 bytes, written by the node itself. <c>JsonSerializer.SerializeToUtf8Bytes(node)</c> writes the
/// same bytes but goes through reflection-based serialization, which a trimmed build turns off (the trim analyzer's
/// IL2026); writing the node needs no metadata.
/// </summary>
public static class JsonNodeBytes
{
    public static byte[] ToUtf8(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
