using System.Text;

namespace MedTechEdge.Storage;

/// <summary>
/// A device message packed into one BLOB for the outbox's <c>source</c> column: the receive time, then each field as
/// a length (-1 for null) and its bytes, the correlation id last. Written and read only by this store. Rows written before
/// the correlation id was kept end after the body, and decode with a fresh one; rows from before the device binding was
/// kept end after the correlation id, and decode unbound.
/// </summary>
internal static class SourceMessageCodec
{
    public static byte[] Encode(InboxMessage message)
    {
        using var buffer = new MemoryStream(64 + message.Body.Length + message.Properties.Length + message.SystemProperties.Length);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(message.ReceivedUtc.Ticks);
            Write(writer, Encoding.UTF8.GetBytes(message.Source));
            Write(writer, message.DeviceId is null ? null : Encoding.UTF8.GetBytes(message.DeviceId));
            Write(writer, message.Topic is null ? null : Encoding.UTF8.GetBytes(message.Topic));
            Write(writer, message.Properties);
            Write(writer, message.SystemProperties);
            Write(writer, message.Body);
            Write(writer, Encoding.UTF8.GetBytes(message.CorrelationId));
            // The sender's rights travel with the message, so a dead letter made from it, and its requeue, keep them.
            Write(writer, message.Binding is null ? null : Encoding.UTF8.GetBytes(message.Binding.Encode()));
        }

        return buffer.ToArray();
    }

    public static InboxMessage Decode(byte[] packed)
    {
        var stream = new MemoryStream(packed);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var received = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        string source = Encoding.UTF8.GetString(Read(reader)!);
        byte[]? device = Read(reader);
        byte[]? topic = Read(reader);
        byte[] properties = Read(reader)!;
        byte[] systemProperties = Read(reader)!;
        byte[] body = Read(reader)!;
        string correlationId = stream.Position < stream.Length ? Encoding.UTF8.GetString(Read(reader)!) : InboxMessage.NewCorrelationId();
        byte[]? binding = stream.Position < stream.Length ? Read(reader) : null;
        return new InboxMessage
        {
            ReceivedUtc = received,
            Source = source,
            DeviceId = device is null ? null : Encoding.UTF8.GetString(device),
            Topic = topic is null ? null : Encoding.UTF8.GetString(topic),
            Properties = properties,
            SystemProperties = systemProperties,
            Body = body,
            CorrelationId = correlationId,
            Binding = binding is null ? null : DeviceBinding.Decode(Encoding.UTF8.GetString(binding)),
        };
    }

    private static void Write(BinaryWriter writer, byte[]? bytes)
    {
        writer.Write(bytes?.Length ?? -1);
        if (bytes is not null)
        {
            writer.Write(bytes);
        }
    }

    private static byte[]? Read(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        return length < 0 ? null : reader.ReadBytes(length);
    }
}
