using System.Text;

namespace MedTechEdge.Storage;

/// <summary>
/// A device message packed into one BLOB for the outbox's <c>source</c> column: the receive time, then each field as
/// a length (-1 for null) and its bytes. Written and read only by this store.
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
        }

        return buffer.ToArray();
    }

    public static InboxMessage Decode(byte[] packed)
    {
        using var reader = new BinaryReader(new MemoryStream(packed), Encoding.UTF8);
        var received = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        string source = Encoding.UTF8.GetString(Read(reader)!);
        byte[]? device = Read(reader);
        byte[]? topic = Read(reader);
        return new InboxMessage
        {
            ReceivedUtc = received,
            Source = source,
            DeviceId = device is null ? null : Encoding.UTF8.GetString(device),
            Topic = topic is null ? null : Encoding.UTF8.GetString(topic),
            Properties = Read(reader)!,
            SystemProperties = Read(reader)!,
            Body = Read(reader)!,
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
