using System.Text.Json;

namespace MedTechEdge.JmesPath.Lexing;

/// <summary>
/// Turns expression text into tokens, all at once (parsing happens once per template, so a list is fine).
/// Follows the lexical rules of the JMESPath specification: unquoted identifiers are
/// <c>[A-Za-z_][A-Za-z0-9_]*</c>, quoted identifiers are JSON strings, literals are JSON text between backticks,
/// raw strings sit between single quotes, numbers are <c>-?[0-9]+</c>.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private readonly List<Token> _tokens = new();
    private int _position;

    private Lexer(string text)
    {
        _text = text;
    }

    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            int start = _position;
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    _position++;
                    break;
                case '.': Single(TokenKind.Dot); break;
                case '*': Single(TokenKind.Star); break;
                case ']': Single(TokenKind.RBracket); break;
                case '{': Single(TokenKind.LBrace); break;
                case '}': Single(TokenKind.RBrace); break;
                case '(': Single(TokenKind.LParen); break;
                case ')': Single(TokenKind.RParen); break;
                case ',': Single(TokenKind.Comma); break;
                case ':': Single(TokenKind.Colon); break;
                case '@': Single(TokenKind.Current); break;
                case '[':
                    // "[]" is the flatten token and "[?" opens a filter (specification, "Flatten Operator", "Filter Expressions").
                    if (Peek(1) == ']')
                    {
                        Add(TokenKind.Flatten, start, 2);
                    }
                    else if (Peek(1) == '?')
                    {
                        Add(TokenKind.Filter, start, 2);
                    }
                    else
                    {
                        Single(TokenKind.LBracket);
                    }

                    break;
                case '|': Either('|', TokenKind.Or, TokenKind.Pipe); break;
                case '&': Either('&', TokenKind.And, TokenKind.Expref); break;
                case '!': Either('=', TokenKind.NotEqual, TokenKind.Not); break;
                case '<': Either('=', TokenKind.LessThanOrEqual, TokenKind.LessThan); break;
                case '>': Either('=', TokenKind.GreaterThanOrEqual, TokenKind.GreaterThan); break;
                case '=':
                    if (Peek(1) != '=')
                    {
                        ThrowHelper.ThrowSyntax(_text, start, "'=' is not an operator; did you mean '=='?");
                    }

                    Add(TokenKind.Equal, start, 2);
                    break;
                case '"':
                    ReadQuotedIdentifier();
                    break;
                case '\'':
                    ReadRawString();
                    break;
                case '`':
                    ReadLiteral();
                    break;
                default:
                    if (char.IsAsciiLetter(c) || c == '_')
                    {
                        ReadUnquotedIdentifier();
                    }
                    else if (char.IsAsciiDigit(c) || c == '-')
                    {
                        ReadNumber();
                    }
                    else
                    {
                        ThrowHelper.ThrowSyntax(_text, start, $"unexpected character '{c}'");
                    }

                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.Eof, _text.Length));
    }

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private void Single(TokenKind kind) => Add(kind, _position, 1);

    private void Either(char second, TokenKind doubled, TokenKind single)
    {
        if (Peek(1) == second)
        {
            Add(doubled, _position, 2);
        }
        else
        {
            Single(single);
        }
    }

    private void Add(TokenKind kind, int start, int length)
    {
        _tokens.Add(new Token(kind, start));
        _position = start + length;
    }

    private void ReadUnquotedIdentifier()
    {
        int start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        _tokens.Add(new Token(TokenKind.UnquotedIdentifier, start, _text[start.._position]));
    }

    private void ReadNumber()
    {
        int start = _position;
        if (_text[_position] == '-')
        {
            _position++;
        }

        int digitsStart = _position;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        if (_position == digitsStart)
        {
            ThrowHelper.ThrowSyntax(_text, start, "'-' must be followed by digits");
        }

        if (!int.TryParse(_text.AsSpan(start, _position - start), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int number))
        {
            ThrowHelper.ThrowSyntax(_text, start, "number out of range");
        }

        _tokens.Add(new Token(TokenKind.Number, start, Number: number));
    }

    /// <summary>Finds the closing delimiter, skipping any character escaped with a backslash.</summary>
    private int FindClosing(char delimiter, int start, string what)
    {
        int i = start + 1;
        while (i < _text.Length)
        {
            char c = _text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == delimiter)
            {
                return i;
            }

            i++;
        }

        ThrowHelper.ThrowSyntax(_text, start, $"unterminated {what}");
        return -1;
    }

    private void ReadQuotedIdentifier()
    {
        int start = _position;
        int end = FindClosing('"', start, "quoted identifier");
        string json = _text.Substring(start, end - start + 1);
        string? name = null;
        try
        {
            // A quoted identifier is a JSON string (specification, "quoted-string"), escapes included.
            using JsonDocument document = JsonDocument.Parse(json);
            name = document.RootElement.GetString();
        }
        catch (JsonException)
        {
            ThrowHelper.ThrowSyntax(_text, start, "invalid quoted identifier");
        }

        _tokens.Add(new Token(TokenKind.QuotedIdentifier, start, name));
        _position = end + 1;
    }

    private void ReadRawString()
    {
        int start = _position;
        int end = FindClosing('\'', start, "raw string");

        // Raw string literals (JEP 12): only \' is an escape; every other backslash stays as written.
        string text = _text.Substring(start + 1, end - start - 1).Replace("\\'", "'", StringComparison.Ordinal);
        _tokens.Add(new Token(TokenKind.RawString, start, Value: JmesPathValue.String(text)));
        _position = end + 1;
    }

    private void ReadLiteral()
    {
        int start = _position;
        int end = FindClosing('`', start, "literal");
        string json = _text.Substring(start + 1, end - start - 1).Replace("\\`", "`", StringComparison.Ordinal);
        JmesPathValue value = ParseJsonLiteral(json, start);
        _tokens.Add(new Token(TokenKind.Literal, start, Value: value));
        _position = end + 1;
    }

    private JmesPathValue ParseJsonLiteral(string json, int start)
    {
        if (TryParseJson(json, out JmesPathValue value))
        {
            return value;
        }

        // Legacy literals: text that is not JSON is read as the body of a JSON string, so `heartRate` is
        // "heartRate". The specification deprecates this, but MedTech templates rely on it
        // (e.g. contains(keys(@), `heartRate`)) and the reference implementation still accepts it.
        if (TryParseJson("\"" + json.TrimStart() + "\"", out value))
        {
            return value;
        }

        ThrowHelper.ThrowSyntax(_text, start, "invalid JSON in literal");
        return default;
    }

    private static bool TryParseJson(string json, out JmesPathValue value)
    {
        try
        {
            // Clone detaches the element from the (disposed) document, so the literal lives with the parsed expression.
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;

            // A string literal becomes a computed string, the cheapest side of a string comparison.
            value = root.ValueKind == JsonValueKind.String
                ? JmesPathValue.String(root.GetString()!)
                : JmesPathValue.FromJsonElement(root.Clone());
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }
}
