using System.Globalization;
using System.Text;

namespace MedTechEdge.JsonPath.Functions;

/// <summary>
/// Translates an I-Regexp (RFC 9485) into an equivalent .NET pattern, or returns null when the text is not an
/// I-Regexp (RFC 9535 §2.4.6/§2.4.7 then yield LogicalFalse).
/// <para>
/// I-Regexp works on Unicode scalar values, .NET regexes on UTF-16 code units, so:
/// <list type="bullet">
/// <item><c>.</c> (RFC 9485 §5.3: any character but CR and LF) becomes "one BMP non-surrogate unit other than
/// CR/LF, or one surrogate pair";</item>
/// <item>character classes are split into a BMP part (a .NET class) and a non-BMP part (alternatives over
/// surrogate pairs); a negated class also matches any surrogate pair outside its non-BMP ranges;</item>
/// <item>a non-BMP literal is grouped so a quantifier applies to the whole pair;</item>
/// <item>groups become non-capturing; <c>^</c> and <c>$</c> act as anchors at the string's ends (the RFC 9535
/// compliance suite expects that; <c>$</c> becomes <c>\z</c> so a final newline is not skipped).</item>
/// </list>
/// Limitation: <c>\p{…}</c> / <c>\P{…}</c> classify BMP characters only (a .NET limitation); docs/jsonpath.md.
/// </para>
/// </summary>
internal sealed partial class IRegexpTranslator
{
    private const string AnyPair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private static readonly HashSet<string> s_categories = new(StringComparer.Ordinal)
    {
        "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Z", "Zl", "Zp", "Zs",
        "S", "Sc", "Sk", "Sm", "So", "C", "Cc", "Cf", "Cn", "Co",
    };

    private readonly string _pattern;
    private readonly StringBuilder _out = new();
    private int _pos;

    private IRegexpTranslator(string pattern) => _pattern = pattern;

    public static string? Translate(string pattern)
    {
        var translator = new IRegexpTranslator(pattern);
        return translator.Expression() && translator._pos == pattern.Length ? translator._out.ToString() : null;
    }

    // i-regexp = branch *( "|" branch )
    private bool Expression()
    {
        if (!Branch())
        {
            return false;
        }

        while (Peek() == '|')
        {
            _pos++;
            _out.Append('|');
            if (!Branch())
            {
                return false;
            }
        }

        return true;
    }

    // branch = *piece ; piece = atom [ quantifier ]
    private bool Branch()
    {
        while (_pos < _pattern.Length && Peek() is not ('|' or ')'))
        {
            if (!Atom() || !Quantifier())
            {
                return false;
            }
        }

        return true;
    }

    private bool Quantifier()
    {
        char c = Peek();
        if (c is '*' or '+' or '?')
        {
            _pos++;
            _out.Append(c);
            return true;
        }

        if (c != '{')
        {
            return true;
        }

        // range-quantifier = "{" QuantExact [ "," [ QuantExact ] ] "}"
        int start = _pos;
        _pos++;
        if (!Digits())
        {
            return false;
        }

        if (Peek() == ',')
        {
            _pos++;
            Digits();
        }

        if (Peek() != '}')
        {
            return false;
        }

        _pos++;
        _out.Append(_pattern, start, _pos - start);
        return true;
    }

    private bool Digits()
    {
        int start = _pos;
        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }

        return _pos > start;
    }

    private bool Atom()
    {
        char c = Peek();
        switch (c)
        {
            case '(':
                _pos++;
                _out.Append("(?:");
                if (!Expression() || Peek() != ')')
                {
                    return false;
                }

                _pos++;
                _out.Append(')');
                return true;
            case '.':
                _pos++;
                _out.Append(@"(?:[^\n\r\uD800-\uDFFF]|").Append(AnyPair).Append(')');
                return true;
            case '[':
                return CharClass();
            case '\\':
                return Escape(inClass: false, out _, out _);
            case '^':
                _pos++;
                _out.Append('^');
                return true;
            case '$':
                _pos++;
                _out.Append(@"\z");
                return true;
            case ')' or '*' or '+' or '?' or '{' or '}' or ']' or '|':
                return false;
            default:
                if (!ReadScalar(out int scalar))
                {
                    return false;
                }

                AppendLiteral(scalar);
                return true;
        }
    }

    /// <summary>
    /// SingleCharEsc, <c>\p{…}</c> or <c>\P{…}</c>. Outside a class it is written straight out. Inside a class
    /// the single character comes back in <paramref name="scalar"/>, or the category in <paramref name="category"/>.
    /// </summary>
    private bool Escape(bool inClass, out int scalar, out string? category)
    {
        scalar = -1;
        category = null;
        _pos++; // '\'
        char c = Peek();
        _pos++;
        switch (c)
        {
            case '(' or ')' or '*' or '+' or '-' or '.' or '?' or '[' or '\\' or ']' or '^' or '{' or '|' or '}':
                scalar = c;
                break;
            case 'n':
                scalar = '\n';
                break;
            case 'r':
                scalar = '\r';
                break;
            case 't':
                scalar = '\t';
                break;
            case 'p' or 'P':
                if (Peek() != '{')
                {
                    return false;
                }

                int close = _pattern.IndexOf('}', _pos);
                if (close < 0 || !s_categories.Contains(_pattern.Substring(_pos + 1, close - _pos - 1)))
                {
                    return false;
                }

                category = "\\" + c + _pattern.Substring(_pos, close - _pos + 1);
                _pos = close + 1;
                if (!inClass)
                {
                    _out.Append(category);
                }

                return true;
            default:
                return false;
        }

        if (!inClass)
        {
            AppendLiteral(scalar);
        }

        return true;
    }

    private bool ReadScalar(out int scalar)
    {
        char c = _pattern[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _pattern.Length && char.IsLowSurrogate(_pattern[_pos + 1]))
        {
            scalar = char.ConvertToUtf32(c, _pattern[_pos + 1]);
            _pos += 2;
            return true;
        }

        scalar = c;
        _pos++;
        return !char.IsSurrogate(c);
    }

    private void AppendLiteral(int scalar)
    {
        if (scalar > 0xFFFF)
        {
            _out.Append("(?:").Append(char.ConvertFromUtf32(scalar)).Append(')');
        }
        else
        {
            AppendUnit(_out, (char)scalar);
        }
    }

    private static void AppendUnit(StringBuilder sb, char c)
        => sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));

    private char Peek() => _pos < _pattern.Length ? _pattern[_pos] : '\0';
}
