using System.Text;

namespace MedTechEdge.JsonPath.Functions;

/// <summary>Character classes: <c>charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"</c> (RFC 9485 §3).</summary>
internal sealed partial class IRegexpTranslator
{
    private bool CharClass()
    {
        _pos++; // '['
        bool negated = Peek() == '^';
        if (negated)
        {
            _pos++;
        }

        var ranges = new List<(int Low, int High)>();
        var categories = new StringBuilder();
        bool first = true;
        while (true)
        {
            if (_pos >= _pattern.Length)
            {
                return false;
            }

            char c = Peek();
            if (c == ']' && !first)
            {
                _pos++;
                break;
            }

            // A '-' is literal only as the first or the last item.
            if (c == '-' && (first || (_pos + 1 < _pattern.Length && _pattern[_pos + 1] == ']')))
            {
                _pos++;
                ranges.Add(('-', '-'));
                first = false;
                continue;
            }

            if (!ClassChar(out int low, out string? category))
            {
                return false;
            }

            first = false;
            if (category is not null)
            {
                categories.Append(category);
                continue;
            }

            int high = low;
            if (Peek() == '-' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] != ']')
            {
                _pos++;
                if (!ClassChar(out high, out string? rangeCategory) || rangeCategory is not null || high < low)
                {
                    return false;
                }
            }

            ranges.Add((low, high));
        }

        WriteClass(ranges, categories.ToString(), negated);
        return true;
    }

    // CCchar = ( %x00-2C / %x2E-5A / %x5E-D7FF / %xE000-10FFFF ) / SingleCharEsc, or a charClassEsc.
    private bool ClassChar(out int scalar, out string? category)
    {
        category = null;
        char c = Peek();
        if (c == '\\')
        {
            return Escape(inClass: true, out scalar, out category);
        }

        scalar = -1;
        return c is not ('[' or ']' or '-') && ReadScalar(out scalar);
    }

    private void WriteClass(List<(int Low, int High)> ranges, string categories, bool negated)
    {
        var bmp = new StringBuilder();
        var astral = new List<(int Low, int High)>();
        foreach ((int low, int high) in ranges)
        {
            if (low <= 0xFFFF)
            {
                AppendUnit(bmp, (char)low);
                bmp.Append('-');
                AppendUnit(bmp, (char)Math.Min(high, 0xFFFF));
            }

            if (high > 0xFFFF)
            {
                astral.Add((Math.Max(low, 0x10000), high));
            }
        }

        bmp.Append(categories);
        if (negated)
        {
            astral = Complement(astral);
        }

        _out.Append("(?:");
        bool any = false;
        if (negated || bmp.Length > 0)
        {
            // A negated BMP part must not match half of a surrogate pair.
            _out.Append(negated ? "[^" : "[").Append(bmp).Append(negated ? @"\uD800-\uDFFF]" : "]");
            any = true;
        }

        foreach ((int low, int high) in astral)
        {
            _out.Append(any ? "|" : string.Empty);
            AppendPairs(low, high);
            any = true;
        }

        if (!any)
        {
            _out.Append("[^\\s\\S]"); // matches nothing
        }

        _out.Append(')');
    }

    private static List<(int Low, int High)> Complement(List<(int Low, int High)> ranges)
    {
        ranges.Sort();
        var result = new List<(int Low, int High)>();
        int next = 0x10000;
        foreach ((int low, int high) in ranges)
        {
            if (low > next)
            {
                result.Add((next, low - 1));
            }

            next = Math.Max(next, high + 1);
        }

        if (next <= 0x10FFFF)
        {
            result.Add((next, 0x10FFFF));
        }

        return result;
    }

    /// <summary>Code points <paramref name="low"/>..<paramref name="high"/> (all above U+FFFF) as surrogate-pair alternatives.</summary>
    private void AppendPairs(int low, int high)
    {
        string lo = char.ConvertFromUtf32(low);
        string hi = char.ConvertFromUtf32(high);
        if (lo[0] == hi[0])
        {
            AppendUnit(_out, lo[0]);
            AppendRange(lo[1], hi[1]);
            return;
        }

        AppendUnit(_out, lo[0]);
        AppendRange(lo[1], '\uDFFF');
        if (hi[0] - lo[0] > 1)
        {
            _out.Append('|');
            AppendRange((char)(lo[0] + 1), (char)(hi[0] - 1));
            AppendRange('\uDC00', '\uDFFF');
        }

        _out.Append('|');
        AppendUnit(_out, hi[0]);
        AppendRange('\uDC00', hi[1]);
    }

    private void AppendRange(char low, char high)
    {
        _out.Append('[');
        AppendUnit(_out, low);
        _out.Append('-');
        AppendUnit(_out, high);
        _out.Append(']');
    }
}
