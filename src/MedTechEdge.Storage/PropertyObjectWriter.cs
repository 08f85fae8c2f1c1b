using System.Buffers;
using System.Text.Json;

namespace MedTechEdge.Storage;

/// <summary>
/// Writes the JSON objects an ingress stores as <see cref="InboxMessage.Properties"/> and
/// <see cref="InboxMessage.SystemProperties"/>, with one buffer and writer per thread, reset per object: building an
/// inbox message's property objects allocates only the resulting arrays. Call <see cref="Start"/>, write the members,
/// then <see cref="End"/> on the same thread without awaiting in between.
/// </summary>
public static class PropertyObjectWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// <c>{}</c>, shared by every message without properties: nothing writes to a stored property object, so one
    /// instance serves all.
    /// </summary>
    public static byte[] EmptyObject { get; } = "{}"u8.ToArray();

    /// <summary>This thread's writer, reset, with the object opened.</summary>
    public static Utf8JsonWriter Start()
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        return writer;
    }

    /// <summary>Closes the object <see cref="Start"/> opened and returns a copy of its bytes.</summary>
    public static byte[] End(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndObject();
        writer.Flush();
        return t_buffer!.WrittenSpan.ToArray();
    }
}
