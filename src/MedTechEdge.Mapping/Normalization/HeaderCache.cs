using System.Runtime.InteropServices;
using System.Text.Json;

namespace MedTechEdge.Mapping.Normalization;

/// <summary>
/// What a message's templates have already extracted for a match: device id, time, patient, encounter and
/// correlation id. Templates with the same header expressions (one per vital, typically) reuse it when they match
/// the same node, instead of evaluating and converting the same five expressions again. One per thread, reset
/// per message, since a header is only valid for the message it came from.
/// </summary>
internal sealed class HeaderCache
{
    private const int Capacity = 16;

    [ThreadStatic]
    private static HeaderCache? t_current;

    private readonly Entry[] _entries = new Entry[Capacity];
    private int _count;
    private int _next;

    /// <summary>This thread's cache, emptied for a new message.</summary>
    public static HeaderCache Reset()
    {
        HeaderCache cache = t_current ??= new HeaderCache();
        Array.Clear(cache._entries, 0, cache._count);
        cache._count = 0;
        cache._next = 0;
        return cache;
    }

    /// <summary>
    /// Where <paramref name="match"/> sits in <paramref name="document"/>'s text: its offset and length identify it
    /// within one message. False when it cannot be placed (a node outside that text), which only means no reuse.
    /// The envelope itself (<see cref="JsonValueKind.Undefined"/>) is offset -1.
    /// </summary>
    public static bool TryLocate(JsonElement document, JsonElement match, out int offset, out int length)
    {
        if (match.ValueKind == JsonValueKind.Undefined)
        {
            offset = -1;
            length = 0;
            return true;
        }

        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(match);
        length = raw.Length;
        return JsonMarshal.GetRawUtf8Value(document).Overlaps(raw, out offset);
    }

    public bool TryGet(object key, int offset, int length, out Header header)
    {
        for (int i = 0; i < _count; i++)
        {
            ref Entry entry = ref _entries[i];
            if (ReferenceEquals(entry.Key, key) && entry.Offset == offset && entry.Length == length)
            {
                header = entry.Header;
                return true;
            }
        }

        header = default;
        return false;
    }

    public void Add(object key, int offset, int length, in Header header)
    {
        // Beyond the capacity the oldest entries are overwritten: reuse is an optimisation, never a requirement.
        _entries[_next] = new Entry(key, offset, length, header);
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }

    public readonly record struct Header(string DeviceId, DateTime OccurrenceTimeUtc, string? PatientId, string? EncounterId, string? CorrelationId)
    {
        /// <summary>A measurement of <paramref name="type"/> with this header, its values still to add.</summary>
        public Measurement NewMeasurement(string type, DateTime? ingestionTimeUtc) => new()
        {
            Type = type,
            OccurrenceTimeUtc = OccurrenceTimeUtc,
            IngestionTimeUtc = ingestionTimeUtc,
            DeviceId = DeviceId,
            PatientId = PatientId,
            EncounterId = EncounterId,
            CorrelationId = CorrelationId,
        };
    }

    private readonly record struct Entry(object? Key, int Offset, int Length, Header Header);
}
