using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MedTechEdge.Tools;

/// <summary>
/// CSV for <c>replay</c> (RFC 4180: comma-separated, double quotes around fields with commas, quotes or line breaks,
/// <c>""</c> for a quote): the header row names the properties, and each row after it becomes one flat JSON object.
/// An unquoted field that is a JSON number is written as a number, any other field as a string (a quoted one always,
/// so <c>"0042"</c> stays a string); an empty unquoted field is left out, so a mapping sees the property as missing.
/// </summary>
internal static partial class ReplayCsv
{
    public static IEnumerable<ReplayItem> Read(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var row = new Row();
        int line = 1;
        string[]? header = null;
        while (true)
        {
            int start = line;
            if (!row.ReadFrom(reader, ref line))
            {
                yield break;
            }

            if (row.IsBlank)
            {
                continue;
            }

            if (header is null)
            {
                header = row.Fields.ConvertAll(f => f.Text.Trim()).ToArray();
                continue;
            }

            yield return row.Fields.Count == header.Length
                ? new ReplayItem(file, start, ToJson(header, row.Fields), null)
                : new ReplayItem(file, start, Encoding.UTF8.GetBytes(row.Raw.ToString()), $"{row.Fields.Count} field(s), the header has {header.Length}");
        }
    }

    private static byte[] ToJson(string[] header, List<Field> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (int i = 0; i < header.Length; i++)
            {
                Field field = fields[i];
                if (field.Quoted)
                {
                    writer.WriteString(header[i], field.Text);
                }
                else if (field.Text.Length == 0)
                {
                    continue;
                }
                else if (JsonNumber().IsMatch(field.Text))
                {
                    writer.WritePropertyName(header[i]);
                    writer.WriteRawValue(field.Text, skipInputValidation: true);
                }
                else
                {
                    writer.WriteString(header[i], field.Text);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // RFC 8259 section 6: no leading '+', no leading zeros, digits on both sides of the point.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    private readonly record struct Field(string Text, bool Quoted);

    /// <summary>One record, which may span lines inside quotes, with its raw text for a dead letter.</summary>
    private sealed class Row
    {
        private readonly StringBuilder _field = new();

        public List<Field> Fields { get; } = [];

        public StringBuilder Raw { get; } = new();

        public bool IsBlank => Fields.Count == 1 && !Fields[0].Quoted && string.IsNullOrWhiteSpace(Fields[0].Text);

        /// <summary>Reads the next record; false at the end of the file. <paramref name="line"/> moves past it.</summary>
        public bool ReadFrom(StreamReader reader, ref int line)
        {
            Fields.Clear();
            Raw.Clear();
            _field.Clear();
            if (reader.Peek() < 0)
            {
                return false;
            }

            bool quoted = false;
            bool inQuotes = false;
            while (true)
            {
                int c = reader.Read();
                if (c < 0 || (!inQuotes && c == '\n'))
                {
                    line++;
                    End(quoted);
                    return true;
                }

                if (c == '\n')
                {
                    line++;
                }

                Raw.Append((char)c);
                if (inQuotes)
                {
                    if (c == '"' && reader.Peek() == '"')
                    {
                        Raw.Append((char)reader.Read());
                        _field.Append('"');
                    }
                    else if (c == '"')
                    {
                        inQuotes = false;
                    }
                    else
                    {
                        _field.Append((char)c);
                    }
                }
                else if (c == '"' && _field.Length == 0 && !quoted)
                {
                    inQuotes = quoted = true;
                }
                else if (c == ',')
                {
                    End(quoted);
                    quoted = false;
                }
                else if (c != '\r')
                {
                    _field.Append((char)c);
                }
            }
        }

        private void End(bool quoted)
        {
            Fields.Add(new Field(_field.ToString(), quoted));
            _field.Clear();
        }
    }
}
