using System.Text;

namespace MedTechEdge.JsonPath.Lexing;

/// <summary>
/// Splits an RFC 9535 expression into tokens, once, at parse time. Lexical errors (a stray <c>=</c>, a bad
/// escape, a control character in a string) are syntax errors with the character's position.
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int pos = 0;
        while (true)
        {
            int spaceStart = pos;
            while (pos < text.Length && IsBlank(text[pos]))
            {
                pos++;
            }

            bool space = pos > spaceStart;
            if (pos == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, pos, pos, null, space));
                return tokens;
            }

            int start = pos;
            char c = text[pos];
            TokenKind kind;
            string? value = null;
            switch (c)
            {
                case '$': kind = TokenKind.Root; pos++; break;
                case '@': kind = TokenKind.Current; pos++; break;
                case '[': kind = TokenKind.LeftBracket; pos++; break;
                case ']': kind = TokenKind.RightBracket; pos++; break;
                case '(': kind = TokenKind.LeftParen; pos++; break;
                case ')': kind = TokenKind.RightParen; pos++; break;
                case ',': kind = TokenKind.Comma; pos++; break;
                case ':': kind = TokenKind.Colon; pos++; break;
                case '?': kind = TokenKind.Question; pos++; break;
                case '*': kind = TokenKind.Star; pos++; break;
                case '.':
                    bool twice = pos + 1 < text.Length && text[pos + 1] == '.';
                    kind = twice ? TokenKind.DoubleDot : TokenKind.Dot;
                    pos += twice ? 2 : 1;
                    break;
                case '!':
                    bool ne = Peek(text, pos + 1) == '=';
                    kind = ne ? TokenKind.NotEqual : TokenKind.Not;
                    pos += ne ? 2 : 1;
                    break;
                case '<':
                case '>':
                    bool orEqual = Peek(text, pos + 1) == '=';
                    kind = c == '<'
                        ? (orEqual ? TokenKind.LessOrEqual : TokenKind.Less)
                        : (orEqual ? TokenKind.GreaterOrEqual : TokenKind.Greater);
                    pos += orEqual ? 2 : 1;
                    break;
                case '=':
                case '&':
                case '|':
                    if (Peek(text, pos + 1) != c)
                    {
                        ThrowHelper.Syntax("Unexpected " + ThrowHelper.DescribeChar(c), pos, text);
                    }

                    kind = c == '=' ? TokenKind.Equal : c == '&' ? TokenKind.And : TokenKind.Or;
                    pos += 2;
                    break;
                case '\'':
                case '"':
                    kind = TokenKind.String;
                    value = ReadString(text, ref pos);
                    break;
                default:
                    if (c == '-' || char.IsAsciiDigit(c))
                    {
                        kind = TokenKind.Number;
                        pos = ScanNumber(text, pos);
                        value = text.Substring(start, pos - start);
                    }
                    else if (IsNameFirst(text, pos, out int width))
                    {
                        kind = TokenKind.Name;
                        pos += width;
                        while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || IsNameFirst(text, pos, out width)))
                        {
                            pos += char.IsAsciiDigit(text[pos]) ? 1 : width;
                        }

                        value = text.Substring(start, pos - start);
                    }
                    else
                    {
                        return ThrowHelper.Syntax<List<Token>>("Unexpected " + ThrowHelper.DescribeChar(c), pos, text);
                    }

                    break;
            }

            tokens.Add(new Token(kind, start, pos, value, space));
        }
    }

    /// <summary>RFC 9535 §2.1.1: <c>B = %x20 / %x09 / %x0A / %x0D</c>.</summary>
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static char Peek(string text, int pos) => pos < text.Length ? text[pos] : '\0';

    /// <summary>
    /// RFC 9535 §2.5.1.1 <c>name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF</c>; a non-BMP character
    /// arrives as a surrogate pair (width 2). A lone surrogate is not a character.
    /// </summary>
    private static bool IsNameFirst(string text, int pos, out int width)
    {
        char c = text[pos];
        width = 1;
        if (char.IsAsciiLetter(c) || c == '_' || (c >= 0x80 && !char.IsSurrogate(c)))
        {
            return true;
        }

        if (char.IsHighSurrogate(c) && pos + 1 < text.Length && char.IsLowSurrogate(text[pos + 1]))
        {
            width = 2;
            return true;
        }

        return false;
    }

    /// <summary>Scans <c>-? digits (. digits)? ([eE] [+-]? digits)?</c>; the parser checks the form its context allows.</summary>
    private static int ScanNumber(string text, int pos)
    {
        int start = pos;
        if (text[pos] == '-')
        {
            pos++;
        }

        pos = Digits(text, pos, start);
        if (Peek(text, pos) == '.')
        {
            pos = Digits(text, pos + 1, start);
        }

        if (Peek(text, pos) is 'e' or 'E')
        {
            pos++;
            if (Peek(text, pos) is '+' or '-')
            {
                pos++;
            }

            pos = Digits(text, pos, start);
        }

        return pos;
    }

    private static int Digits(string text, int pos, int numberStart)
    {
        int first = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        if (pos == first)
        {
            ThrowHelper.Syntax("Invalid number '" + text.Substring(numberStart, pos - numberStart) + "'", numberStart, text);
        }

        return pos;
    }

    /// <summary>
    /// RFC 9535 §2.3.1.1 string literals: either quote; escapes <c>\b \f \n \r \t \/ \\ \uXXXX</c> and the
    /// enclosing quote only; no unescaped control characters (U+0000–U+001F); surrogates must pair up.
    /// </summary>
    private static string ReadString(string text, ref int pos)
    {
        char quote = text[pos];
        int open = pos;
        pos++;
        var sb = new StringBuilder();
        while (pos < text.Length)
        {
            char c = text[pos];
            if (c == quote)
            {
                pos++;
                return sb.ToString();
            }

            if (c < 0x20)
            {
                ThrowHelper.Syntax("Control character U+" + ((int)c).ToString("X4", null) + " must be escaped", pos, text);
            }

            if (c != '\\')
            {
                sb.Append(c);
                pos++;
                continue;
            }

            char e = Peek(text, pos + 1);
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '/': sb.Append('/'); break;
                case '\\': sb.Append('\\'); break;
                case 'u':
                    pos = ReadUnicodeEscape(text, pos, sb);
                    continue;
                default:
                    if (e != quote)
                    {
                        ThrowHelper.Syntax("Invalid escape '\\" + e + "'", pos, text);
                    }

                    sb.Append(e);
                    break;
            }

            pos += 2;
        }

        return ThrowHelper.Syntax<string>("Unterminated string", open, text);
    }

    /// <summary>§2.3.1.1: a high surrogate escape must be followed by a low surrogate escape; a lone low one is invalid.</summary>
    private static int ReadUnicodeEscape(string text, int pos, StringBuilder sb)
    {
        char high = Hex4(text, pos);
        pos += 6;
        if (char.IsLowSurrogate(high))
        {
            ThrowHelper.Syntax("Unpaired low surrogate escape", pos - 6, text);
        }

        if (char.IsHighSurrogate(high))
        {
            if (Peek(text, pos) != '\\' || Peek(text, pos + 1) != 'u')
            {
                ThrowHelper.Syntax("Unpaired high surrogate escape", pos - 6, text);
            }

            char low = Hex4(text, pos);
            if (!char.IsLowSurrogate(low))
            {
                ThrowHelper.Syntax("Unpaired high surrogate escape", pos - 6, text);
            }

            sb.Append(high).Append(low);
            return pos + 6;
        }

        sb.Append(high);
        return pos;
    }

    private static char Hex4(string text, int pos)
    {
        int value = 0;
        for (int i = pos + 2; i < pos + 6; i++)
        {
            int digit = i < text.Length ? HexValue(text[i]) : -1;
            if (digit < 0)
            {
                ThrowHelper.Syntax("Invalid \\u escape", pos, text);
            }

            value = (value << 4) | digit;
        }

        return (char)value;
    }

    private static int HexValue(char c)
        => char.IsAsciiDigit(c) ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
}
