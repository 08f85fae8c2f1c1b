using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.MedTech;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>
/// Parser for the MedTech dialect (Json.NET 13.0.3 <c>SelectTokens</c> paths).
/// <para>
/// Design: a hand-written scanner over the characters, no separate lexer. Json.NET's path syntax is not
/// tokenisable up front: what a character means depends on where it stands (<c>-</c>, <c>$</c>, <c>@</c>, digits
/// and <c>+</c> are ordinary name characters in a dot name, <c>=</c> ends a name only inside a filter, a number
/// literal ends only at a space or <c>)</c>). So this parser walks the string with one cursor, the same way the
/// dialect was defined, and builds the shared step model (<see cref="PathStep"/>). Filters are parsed by
/// <c>MedTechParser.Filters.cs</c> with Json.NET's grouping of <c>&amp;&amp;</c>/<c>||</c>.
/// </para>
/// <para>
/// It accepts what Json.NET accepts and rejects what Json.NET rejects, with these deliberate exceptions, all
/// listed in docs/jsonpath.md: negative indices and a zero slice step are syntax errors (Json.NET throws when
/// the query runs), a comparison followed by another operand is a syntax error (Json.NET silently drops it),
/// and a second bracket name must start with a quote.
/// </para>
/// </summary>
internal sealed partial class MedTechParser
{
    private readonly string _text;
    private int _pos;

    private MedTechParser(string text) => _text = text;

    public static Query Parse(string text) => new MedTechParser(text).ParseMain();

    private Query ParseMain()
    {
        var steps = new List<PathStep>();
        SkipSpaces();
        if (_pos == _text.Length)
        {
            // An empty path selects the start node (the root).
            return new Query(steps, isRelative: false);
        }

        int partStart = _pos;
        if (_text[_pos] == '$')
        {
            if (_pos + 1 == _text.Length)
            {
                return new Query(steps, isRelative: false);
            }

            // '$' is the root only before '.', '[' or the end; otherwise it starts a member name ("$a").
            char next = _text[_pos + 1];
            if (next is '.' or '[')
            {
                _pos++;
                partStart = _pos;
            }
        }

        if (!ParsePath(steps, partStart, inFilter: false))
        {
            SkipSpaces();
            if (_pos < _text.Length)
            {
                Fail("Unexpected " + ThrowHelper.Describe(_text, _pos), _pos);
            }
        }

        return new Query(steps, isRelative: false);
    }

    /// <summary>
    /// Reads steps until the end, a space, <c>]</c>, <c>)</c> or (inside a filter) an operator character.
    /// Returns true when the whole expression was consumed.
    /// </summary>
    private bool ParsePath(List<PathStep> steps, int partStart, bool inFilter)
    {
        bool scan = false;
        bool afterBracket = false;
        bool afterDot = false;
        bool ended = false;
        while (_pos < _text.Length && !ended)
        {
            char c = _text[_pos];
            switch (c)
            {
                case '[':
                case '(':
                    if (_pos > partStart)
                    {
                        steps.Add(MemberStep(_text.Substring(partStart, _pos - partStart), scan));
                        scan = false;
                    }

                    steps.Add(ParseBracket(c, scan));
                    scan = false;
                    _pos++;
                    partStart = _pos;
                    afterBracket = true;
                    afterDot = false;
                    break;
                case ']':
                case ')':
                case ' ':
                    ended = true;
                    break;
                case '.':
                    if (_pos > partStart)
                    {
                        steps.Add(MemberStep(_text.Substring(partStart, _pos - partStart), scan));
                        scan = false;
                    }

                    if (_pos + 1 < _text.Length && _text[_pos + 1] == '.')
                    {
                        scan = true;
                        _pos++;
                    }

                    _pos++;
                    partStart = _pos;
                    afterBracket = false;
                    afterDot = true;
                    break;
                default:
                    if (inFilter && c is '=' or '<' or '!' or '>' or '|' or '&')
                    {
                        ended = true;
                    }
                    else
                    {
                        if (afterBracket)
                        {
                            Fail("Unexpected " + ThrowHelper.DescribeChar(c) + " after ']'", _pos);
                        }

                        _pos++;
                    }

                    break;
            }
        }

        bool atEnd = _pos == _text.Length;
        if (_pos > partStart)
        {
            // Json.NET trims trailing white space (any kind) from the last name only.
            steps.Add(MemberStep(_text.Substring(partStart, _pos - partStart).TrimEnd(), scan));
        }
        else if (afterDot && (atEnd || inFilter))
        {
            Fail("Expected a member name after '.'", _pos);
        }

        return atEnd;
    }

    /// <summary>A dot name is taken raw: no quotes, no escapes; exactly <c>*</c> is the wildcard.</summary>
    private static PathStep MemberStep(string name, bool scan)
    {
        string? member = name == "*" ? null : name;
        return scan ? new NetScanStep(member is null ? null : [member]) : new NetFieldStep(member);
    }

    private PathStep ParseBracket(char open, bool scan)
    {
        char close = open == '[' ? ']' : ')';
        _pos++;
        SkipSpaces();
        EnsureMore("Unclosed '" + open + "'");
        return _text[_pos] switch
        {
            '\'' => ParseQuotedNames(close, scan),
            '?' => ParseFilterBracket(close, scan),
            // Json.NET drops a preceding '..' for index, slice and [*] brackets: $..[0] means $[0].
            _ => ParseIndexBracket(close),
        };
    }

    private PathStep ParseQuotedNames(char close, bool scan)
    {
        List<string>? names = null;
        while (_pos < _text.Length)
        {
            if (_text[_pos] != '\'')
            {
                Fail("Expected a quoted name", _pos);
            }

            string name = ReadQuoted();
            SkipSpaces();
            EnsureMore("Unclosed '['");
            if (_text[_pos] == close)
            {
                if (names is null)
                {
                    return scan ? new NetScanStep([name]) : new NetFieldStep(name);
                }

                names.Add(name);
                return scan ? new NetScanStep(names.ToArray()) : new NetFieldsStep(names.ToArray());
            }

            if (_text[_pos] != ',')
            {
                Fail("Unexpected " + ThrowHelper.Describe(_text, _pos), _pos);
            }

            _pos++;
            SkipSpaces();
            (names ??= new List<string>()).Add(name);
        }

        return ThrowHelper.Syntax<PathStep>("Unclosed '['", _pos, _text);
    }

    /// <summary>A single-quoted string with Json.NET's escapes: \b \t \n \f \r \\ \" \' \/ (no \u).</summary>
    private string ReadQuoted()
    {
        int open = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '\\' && _pos + 1 < _text.Length)
            {
                char e = _text[_pos + 1];
                sb.Append(e switch
                {
                    'b' => '\b',
                    't' => '\t',
                    'n' => '\n',
                    'f' => '\f',
                    'r' => '\r',
                    '\\' or '"' or '\'' or '/' => e,
                    _ => ThrowHelper.Syntax<char>("Unknown escape '\\" + e + "'", _pos, _text),
                });
                _pos += 2;
            }
            else if (c == '\'')
            {
                _pos++;
                return sb.ToString();
            }
            else
            {
                sb.Append(c);
                _pos++;
            }
        }

        return ThrowHelper.Syntax<string>("Unterminated string", open, _text);
    }

    private void SkipSpaces()
    {
        // Json.NET skips U+0020 only.
        while (_pos < _text.Length && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    private void EnsureMore(string reason)
    {
        if (_pos >= _text.Length)
        {
            Fail(reason, _pos);
        }
    }

    [DoesNotReturn]
    private void Fail(string reason, int position) => ThrowHelper.Syntax(reason, position, _text);

    private static bool TryParseInt(ReadOnlySpan<char> text, out int value)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
