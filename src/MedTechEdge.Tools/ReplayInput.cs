using System.Text;
using System.Text.Json;

namespace MedTechEdge.Tools;

/// <summary>The input formats of <c>replay</c>.</summary>
internal enum ReplayFormat
{
    /// <summary>One device message a line (blank lines skipped).</summary>
    Ndjson,

    /// <summary>One JSON document: a message, or an array of messages.</summary>
    Json,

    /// <summary>A header row, then one message a row: a flat object, numbers as numbers.</summary>
    Csv,
}

/// <summary>
/// One message read from a replay file, where it stands (for the operator and the dead letter), and its body; or, when
/// the input itself is broken there, the problem and the raw text, which go to dead letters as they are.
/// </summary>
internal readonly record struct ReplayItem(string File, int Line, byte[] Body, string? Problem);

/// <summary>
/// Reads replay input: which files (a directory is every file in it, in name order), in which format (the option, else
/// the extension), and the messages in them, each with its line. Files are streamed, except a JSON document, which is
/// read whole because its array elements are located by byte offset.
/// </summary>
internal static class ReplayInput
{
    public static List<string> Files(string input)
    {
        if (File.Exists(input))
        {
            return [input];
        }

        if (!Directory.Exists(input))
        {
            throw new ToolUsageException($"no file or directory '{input}'.");
        }

        var files = new List<string>(Directory.GetFiles(input));
        // Ordinal: the same order on every machine, and the order a vendor's numbered export files were written in.
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static ReplayFormat FormatOf(string file, string? format) => (format ?? Path.GetExtension(file).TrimStart('.')).ToLowerInvariant() switch
    {
        "ndjson" or "jsonl" => ReplayFormat.Ndjson,
        "json" => ReplayFormat.Json,
        "csv" => ReplayFormat.Csv,
        _ when format is not null => throw new ToolUsageException($"--format is ndjson, json or csv, not '{format}'."),
        _ => throw new ToolUsageException($"cannot tell the format of '{file}' from its name; give --format ndjson, json or csv."),
    };

    /// <summary>How many messages <see cref="Read"/> gives for the file, for the progress's total.</summary>
    public static long Count(string file, ReplayFormat format)
    {
        long count = 0;
        foreach (ReplayItem item in Read(file, format))
        {
            count++;
        }

        return count;
    }

    public static IEnumerable<ReplayItem> Read(string file, ReplayFormat format) => format switch
    {
        ReplayFormat.Ndjson => ReadNdjson(file),
        ReplayFormat.Json => ReadJson(file),
        _ => ReplayCsv.Read(file),
    };

    private static IEnumerable<ReplayItem> ReadNdjson(string file)
    {
        int line = 0;
        foreach (string text in File.ReadLines(file))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            byte[] body = Encoding.UTF8.GetBytes(text);
            yield return new ReplayItem(file, line, body, Validate(body));
        }
    }

    /// <summary>Null for one complete JSON value; otherwise where and why not. Reads tokens only, builds nothing.</summary>
    private static string? Validate(byte[] json) =>
        JsonBody.FirstError(json) is { } ex ? $"column {ex.BytePositionInLine + 1}: {Describe(ex)}" : null;

    private static IEnumerable<ReplayItem> ReadJson(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        int start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var items = new List<ReplayItem>();
        // Collected, then yielded: a Utf8JsonReader is a ref struct and cannot live across a yield.
        SplitDocument(file, bytes.AsMemory(start), items);
        return items;
    }

    /// <summary>
    /// A top-level array gives one message per element, anything else one message. A syntax error ends the file: the
    /// text from the element it is in to the end becomes one dead letter naming the line, and what came before stands.
    /// </summary>
    private static void SplitDocument(string file, ReadOnlyMemory<byte> json, List<ReplayItem> items)
    {
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        long elementStart = 0;
        try
        {
            if (!reader.Read())
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                items.Add(new ReplayItem(file, 1, json.ToArray(), TrailingProblem(ref reader)));
                return;
            }

            // Lines are counted on from the previous element, so a large array is scanned once.
            int line = 1;
            long counted = 0;
            while (true)
            {
                elementStart = reader.BytesConsumed;
                if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
                {
                    return;
                }

                elementStart = reader.TokenStartIndex;
                line += json.Span[(int)counted..(int)elementStart].Count((byte)'\n');
                counted = elementStart;
                reader.Skip();
                int end = (int)reader.BytesConsumed;
                items.Add(new ReplayItem(file, line, json[(int)elementStart..end].ToArray(), null));
            }
        }
        catch (JsonException ex)
        {
            int line = (int)(ex.LineNumber ?? 0) + 1;
            items.Add(new ReplayItem(file, line, json[(int)elementStart..].ToArray(), $"column {ex.BytePositionInLine + 1}: {Describe(ex)}"));
        }
    }

    private static string? TrailingProblem(ref Utf8JsonReader reader) =>
        // Utf8JsonReader throws for a second top-level value when it reads on; nothing more to read is fine.
        reader.Read() ? "more than one JSON document in the file" : null;

    /// <summary>The reader's message without its own position suffix, which counts from zero and is restated by us.</summary>
    internal static string Describe(JsonException ex)
    {
        string message = ex.Message;
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
