using System.Text;
using System.Text.Json;

namespace MedTechEdge.Mapping.Templates;

/// <summary>
/// Where each value of a mapping file starts, by JSON Pointer (RFC 6901), so load errors can name a
/// line and position. <see cref="JsonDocument"/> keeps no offsets, so one extra reader pass at load
/// records them; it never runs per message.
/// </summary>
internal sealed class JsonLocationIndex
{
    private readonly Dictionary<string, (int Line, int Position)> _locations = new(StringComparer.Ordinal);

    private JsonLocationIndex()
    {
    }

    /// <summary>An index that knows no locations, for files that did not parse.</summary>
    public static JsonLocationIndex Empty { get; } = new();

    /// <summary>Indexes <paramref name="utf8"/>; the caller has already parsed it successfully.</summary>
    public static JsonLocationIndex Build(ReadOnlySpan<byte> utf8)
    {
        var index = new JsonLocationIndex();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var arrayCounters = new Stack<int>();
        int line = 1;
        int lineStart = 0;
        int scanned = 0;
        string? pendingName = null;
        while (reader.Read())
        {
            int start = (int)reader.TokenStartIndex;
            for (; scanned < start; scanned++)
            {
                if (utf8[scanned] == (byte)'\n')
                {
                    line++;
                    lineStart = scanned + 1;
                }
            }

            (int Line, int Position) here = (line, Encoding.UTF8.GetCharCount(utf8[lineStart..start]) + 1);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString();
                    index._locations[Pointer(path, pendingName!)] = here;
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        arrayCounters.Pop();
                    }

                    if (path.Count > 0)
                    {
                        path.RemoveAt(path.Count - 1);
                    }

                    continue;
            }

            string segment = SegmentForValue(ref pendingName, arrayCounters);
            bool opens = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
            string pointer = segment.Length == 0 && path.Count == 0 ? string.Empty : Pointer(path, segment);
            index._locations.TryAdd(pointer, here);
            if (opens)
            {
                if (path.Count > 0 || segment.Length > 0)
                {
                    path.Add(segment);
                }
                else
                {
                    // The root container: a placeholder keeps push and pop balanced.
                    path.Add(string.Empty);
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    arrayCounters.Push(0);
                }
            }
        }

        return index;
    }

    /// <summary>The location of the value (or member name) at <paramref name="pointer"/>, or (0, 0).</summary>
    public (int Line, int Position) Find(string pointer) =>
        _locations.TryGetValue(pointer, out (int, int) location) ? location : (0, 0);

    private static string SegmentForValue(ref string? pendingName, Stack<int> arrayCounters)
    {
        if (pendingName is not null)
        {
            string name = pendingName;
            pendingName = null;
            return name;
        }

        if (arrayCounters.Count > 0)
        {
            int i = arrayCounters.Pop();
            arrayCounters.Push(i + 1);
            return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return string.Empty;
    }

    private static string Pointer(List<string> path, string last)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < path.Count; i++)
        {
            if (i == 0 && path[i].Length == 0)
            {
                continue;
            }

            builder.Append('/').Append(path[i]);
        }

        return builder.Append('/').Append(last).ToString();
    }
}
