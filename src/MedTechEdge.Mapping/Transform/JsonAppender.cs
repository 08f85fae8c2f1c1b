using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Appends JSON text to a reusable UTF-8 buffer. The Observation writer knows its structure, so it appends
/// literal punctuation and pre-rendered template fragments directly; only strings from the data are escaped,
/// and exactly as <see cref="Utf8JsonWriter"/> escapes them (the default encoder), so the bytes do not change.
/// </summary>
internal sealed class JsonAppender
{
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly FormattedInstant[] _instants = [new(), new()];
    private byte[] _buffer = new byte[4096];
    private int _length;
    private int _instantsOldest;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>How many bytes are written: where the next one goes.</summary>
    public int Length => _length;

    public void Clear() => _length = 0;

    /// <summary>Forgets everything written from <paramref name="length"/> on.</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Leaves <paramref name="count"/> bytes to be filled later (through <see cref="Slice"/>); returns where they start.</summary>
    public int Skip(int count)
    {
        Reserve(count);
        int at = _length;
        _length += count;
        return at;
    }

    /// <summary>Written bytes, to read or fill in place; valid until the next append.</summary>
    public Span<byte> Slice(int at, int count) => _buffer.AsSpan(at, count);

    /// <summary>Room for at least <paramref name="count"/> bytes at the end; <see cref="Advance"/> says how many were written.</summary>
    public Span<byte> GetSpan(int count) => Reserve(count);

    public void Advance(int count) => _length += count;

    public void Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Reserve(utf8.Length));
        _length += utf8.Length;
    }

    /// <summary>The text of a JSON string, without its quotes: escaped as the default encoder does.</summary>
    public void AppendEscaped(string value)
    {
        if (!TryAppendPlain(value))
        {
            Append(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
        }
    }

    /// <summary>Appends <paramref name="text"/> when it is plain (printable ASCII that JSON leaves unescaped); false, with nothing written, otherwise.</summary>
    public bool TryAppendPlain(string text)
    {
        if (!IsPlain(text))
        {
            return false;
        }

        _length += Encoding.ASCII.GetBytes(text, Reserve(text.Length));
        return true;
    }

    /// <summary>A FHIR instant: UTC with 7 fractional digits and <c>Z</c> (.NET's round-trip format), quoted.</summary>
    public void AppendInstant(DateTime utc)
    {
        // An Observation repeats its instants (start = end for a point in time) and a batch shares one issued time:
        // the last two formatted are kept and copied, the older one replaced by a new one.
        int slot = _instants[0].Length != 0 && _instants[0].Ticks == utc.Ticks ? 0
            : _instants[1].Length != 0 && _instants[1].Ticks == utc.Ticks ? 1
            : -1;
        if (slot < 0)
        {
            slot = _instantsOldest;
            _instantsOldest = 1 - slot;
            ref FormattedInstant instant = ref _instants[slot];
            Span<byte> text = instant.Text;
            text[0] = (byte)'"';
            DateTime.SpecifyKind(utc, DateTimeKind.Utc).TryFormat(text[1..], out int written, "O", CultureInfo.InvariantCulture);
            text[written + 1] = (byte)'"';
            instant.Length = written + 2;
            instant.Ticks = utc.Ticks;
        }
        else
        {
            _instantsOldest = 1 - slot;
        }

        Append(_instants[slot].Text.AsSpan(0, _instants[slot].Length));
    }

    /// <summary>
    /// A Quantity value given as text: copied when it is already the decimal's own formatting (an optional minus,
    /// digits without a leading zero, an optional fraction, few enough digits to be exact), else parsed and formatted.
    /// False when it is not a decimal at all.
    /// </summary>
    public bool TryAppendDecimal(string text)
    {
        if (IsCanonicalDecimal(text))
        {
            Span<byte> target = Reserve(text.Length);
            _length += Encoding.ASCII.GetBytes(text, target);
            return true;
        }

        // Invariant decimal parse: thousands separators and surrounding spaces allowed, exponents not (§7.2).
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number))
        {
            return false;
        }

        AppendNumber(number);
        return true;
    }

    /// <summary>A decimal as <see cref="Utf8JsonWriter.WriteNumberValue(decimal)"/> writes it (the general format).</summary>
    public void AppendNumber(decimal value)
    {
        Span<byte> target = Reserve(64);
        value.TryFormat(target, out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        return _buffer.AsSpan(_length);
    }

    private static bool IsCanonicalDecimal(string text)
    {
        int i = text.StartsWith('-') ? 1 : 0;
        int digitsStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        int integerDigits = i - digitsStart;
        if (integerDigits == 0 || (integerDigits > 1 && text[digitsStart] == '0') || (digitsStart == 1 && text[1] == '0'))
        {
            // Nothing, a leading zero, or a negative that could be minus zero (which formats without its sign).
            return false;
        }

        int fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            int fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fractionDigits = i - fractionStart;
            if (fractionDigits == 0)
            {
                return false;
            }
        }

        // Up to 27 digits a decimal holds the text exactly, scale included, so it formats back to the same text.
        return i == text.Length && integerDigits + fractionDigits <= 27;
    }

    // What Utf8JsonWriter's default encoder leaves alone: printable ASCII except " \ and the HTML-sensitive & ' + < > `.
    // Checked vectorized: ids, references and periods are short, but every Observation checks several of them.
    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExcept(s_plain);

    private sealed class FormattedInstant
    {
        public byte[] Text { get; } = new byte[48];

        public long Ticks { get; set; }

        public int Length { get; set; }
    }
}
