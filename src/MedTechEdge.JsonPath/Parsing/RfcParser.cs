using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.Rfc;
using MedTechEdge.JsonPath.Lexing;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>
/// Parser for RFC 9535 JSONPath.
/// <para>
/// Design: recursive descent over the token list from <see cref="Lexer"/>, one method per ABNF rule of RFC 9535
/// §2.1.1 and §2.3. The grammar is LL(1) apart from one spot (a query or function in a filter is a test or the
/// left side of a comparison, decided by the token after it), and the logical operators have just two
/// precedence levels with <c>!</c> and parentheses, so precedence climbing by hand (or-expr → and-expr →
/// basic-expr) is shorter and clearer than a Pratt table. The well-typedness rules of §2.4.3 and the
/// singular-query rule of §2.3.5.1 are checked while parsing, so every invalid query fails here, never at
/// evaluation. Filter-specific rules live in <c>RfcParser.Filters.cs</c>.
/// </para>
/// </summary>
internal sealed partial class RfcParser
{
    // I-JSON (RFC 7493) exact integer range for indices and slice bounds, RFC 9535 §2.1.
    private const long MaxSafeInteger = 9007199254740991;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _index;

    private RfcParser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    private Token Current => _tokens[_index];

    public static Query Parse(string text)
    {
        var parser = new RfcParser(text);
        return parser.ParseRootQuery();
    }

    // jsonpath-query = root-identifier segments; no blank space before '$' or after the last segment (§2.1.1).
    private Query ParseRootQuery()
    {
        if (Current.Kind != TokenKind.Root || Current.SpaceBefore)
        {
            Fail(Current.Kind == TokenKind.Root ? "Leading blank space is not allowed" : "A query must start with '$'", Current.Start);
        }

        _index++;
        List<PathStep> steps = ParseSegments();
        if (Current.Kind != TokenKind.End)
        {
            Fail(Unexpected(Current), Current.Start);
        }

        if (Current.SpaceBefore)
        {
            Fail("Trailing blank space is not allowed", _tokens[_index - 1].End);
        }

        return new Query(steps, isRelative: false);
    }

    // segments = *(S segment)
    private List<PathStep> ParseSegments()
    {
        var steps = new List<PathStep>();
        while (true)
        {
            Token token = Current;
            switch (token.Kind)
            {
                case TokenKind.LeftBracket:
                    steps.Add(new ChildSegment(ParseBracketedSelection()));
                    break;
                case TokenKind.Dot:
                    _index++;
                    steps.Add(new ChildSegment([ParseShorthand("'.'")]));
                    break;
                case TokenKind.DoubleDot:
                    _index++;
                    Selector[] selectors = Current.Kind == TokenKind.LeftBracket && !Current.SpaceBefore
                        ? ParseBracketedSelection()
                        : [ParseShorthand("'..'")];
                    steps.Add(new DescendantSegment(selectors));
                    break;
                default:
                    return steps;
            }
        }
    }

    // After '.' or '..': member-name-shorthand or '*', with no blank space in between (§2.5.1.1).
    private Selector ParseShorthand(string after)
    {
        Token token = Current;
        if (token.SpaceBefore)
        {
            Fail("Blank space is not allowed after " + after, token.Start);
        }

        if (token.Kind == TokenKind.Star)
        {
            _index++;
            return WildcardSelector.Instance;
        }

        if (token.Kind != TokenKind.Name)
        {
            Fail("Expected a member name or '*' after " + after + " but found " + Describe(token), token.Start);
        }

        _index++;
        return new NameSelector(token.Text!);
    }

    // bracketed-selection = "[" S selector *(S "," S selector) S "]"
    private Selector[] ParseBracketedSelection()
    {
        _index++; // '['
        var selectors = new List<Selector> { ParseSelector() };
        while (Current.Kind == TokenKind.Comma)
        {
            _index++;
            selectors.Add(ParseSelector());
        }

        Expect(TokenKind.RightBracket, "']'");
        return selectors.ToArray();
    }

    private Selector ParseSelector()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                _index++;
                return new NameSelector(token.Text!);
            case TokenKind.Star:
                _index++;
                return WildcardSelector.Instance;
            case TokenKind.Question:
                _index++;
                return new FilterSelector(ParseLogicalOr());
            case TokenKind.Colon:
                return ParseSlice(null);
            case TokenKind.Number:
                _index++;
                long value = ReadInteger(token);
                return Current.Kind == TokenKind.Colon ? ParseSlice(value) : new IndexSelector(value);
            default:
                return ThrowHelper.Syntax<Selector>("Expected a selector but found " + Describe(token), token.Start, _text);
        }
    }

    // slice-selector = [start S] ":" S [end S] [":" [S step]]
    private SliceSelector ParseSlice(long? start)
    {
        _index++; // ':'
        long? end = null;
        long? step = null;
        if (Current.Kind == TokenKind.Number)
        {
            end = ReadInteger(Current);
            _index++;
        }

        if (Current.Kind == TokenKind.Colon)
        {
            _index++;
            if (Current.Kind == TokenKind.Number)
            {
                step = ReadInteger(Current);
                _index++;
            }
        }

        return new SliceSelector(start, end, step);
    }

    /// <summary>§2.1.1 <c>int = "0" / (["-"] DIGIT1 *DIGIT)</c> within ±(2^53−1); no "-0", no leading zeros.</summary>
    private long ReadInteger(Token token)
    {
        string text = token.Text!;
        ReadOnlySpan<char> digits = text.AsSpan(text[0] == '-' ? 1 : 0);
        bool valid = digits.Length > 0 && !digits.ContainsAnyExcept("0123456789")
            && (digits.Length == 1 || digits[0] != '0') && text != "-0";
        if (!valid)
        {
            Fail("Invalid integer '" + text + "'", token.Start);
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            || value > MaxSafeInteger || value < -MaxSafeInteger)
        {
            Fail("Integer '" + text + "' is outside the range ±(2^53-1)", token.Start);
        }

        return value;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            Fail("Expected " + what + " but found " + Describe(Current), Current.Start);
        }

        _index++;
    }

    private string Describe(Token token)
        => token.Kind == TokenKind.End ? "end of expression" : "'" + _text.Substring(token.Start, token.End - token.Start) + "'";

    private string Unexpected(Token token) => "Unexpected " + Describe(token);

    [DoesNotReturn]
    private void Fail(string reason, int position) => ThrowHelper.Syntax(reason, position, _text);
}
