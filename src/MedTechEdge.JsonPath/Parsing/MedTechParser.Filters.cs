using System.Globalization;
using System.Text.RegularExpressions;
using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.MedTech;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>
/// Filters of the MedTech dialect: <c>[?( … )]</c> with comparisons joined by <c>&amp;&amp;</c> and <c>||</c>.
/// </summary>
/// <remarks>
/// Json.NET does not give <c>&amp;&amp;</c> precedence over <c>||</c>. It keeps one current group; when the
/// operator changes it opens a new group inside the current one and continues there, never returning to the
/// outer group. So <c>a &amp;&amp; b || c</c> is <c>a &amp;&amp; (b || c)</c> and
/// <c>a || b &amp;&amp; c || d</c> is <c>a || (b &amp;&amp; (c || d))</c>. That grouping is reproduced here
/// because existing templates were tested against it. There are no parentheses, no <c>!</c> and no functions.
/// </remarks>
internal sealed partial class MedTechParser
{
    private PathStep ParseFilterBracket(char close, bool scan)
    {
        _pos++; // '?'
        EnsureMore("Unclosed '['");
        if (_text[_pos] != '(')
        {
            Fail("Expected '(' after '?' (filters are written [?( … )] in the MedTech dialect)", _pos);
        }

        _pos++;
        FilterExpression filter = ParseFilterExpression();
        _pos++; // ')'
        SkipSpaces();
        EnsureMore("Unclosed '['");
        if (_text[_pos] != close)
        {
            Fail("Unexpected " + ThrowHelper.Describe(_text, _pos) + " after a filter", _pos);
        }

        return new NetFilterStep(filter, scan);
    }

    private FilterExpression ParseFilterExpression()
    {
        FilterExpression? root = null;
        NetComposite? group = null;
        while (_pos < _text.Length)
        {
            NetOperand left = ParseOperand();
            NetOperand? right = null;
            NetOperator op = NetOperator.Exists;
            if (_text[_pos] is not (')' or '|' or '&'))
            {
                int operatorPosition = _pos;
                op = ParseOperator();
                right = ParseOperand();
                if (op == NetOperator.RegexEquals && right.Path is null && right.Regex is null && right.Literal.Type == NetType.String)
                {
                    // A quoted '/re/' works as a pattern in Json.NET; any other string throws there when it runs.
                    Regex regex = NetRegex.TryCreate(right.Literal.GetString())
                        ?? ThrowHelper.Syntax<Regex>("The right side of '=~' must be a /regex/", operatorPosition, _text);
                    right = NetOperand.ForLiteral(right.Literal, regex);
                }
            }

            var comparison = new NetComparison(op, left, right);
            char c = _text[_pos];
            if (c == ')')
            {
                if (group is null)
                {
                    return comparison;
                }

                group.Add(comparison);
                return root!;
            }

            bool isAnd = c == '&';
            if (c is not ('&' or '|') || !Match(isAnd ? "&&" : "||"))
            {
                // Json.NET would silently drop this comparison and read on; we reject it.
                Fail("Expected '&&', '||' or ')' but found " + ThrowHelper.Describe(_text, _pos), _pos);
            }

            if (group is null || group.IsAnd != isAnd)
            {
                var inner = new NetComposite(isAnd);
                group?.Add(inner);
                group = inner;
                root ??= inner;
            }

            group.Add(comparison);
        }

        return ThrowHelper.Syntax<FilterExpression>("Unclosed filter", _pos, _text);
    }

    private NetOperand ParseOperand()
    {
        SkipSpaces();
        EnsureMore("Unclosed filter");
        char c = _text[_pos];
        NetOperand operand;
        if (c is '$' or '@')
        {
            _pos++;
            var steps = new List<PathStep>();
            if (ParsePath(steps, _pos, inFilter: true))
            {
                Fail("Unclosed filter", _pos);
            }

            operand = NetOperand.ForPath(new Query(steps, isRelative: c == '@'));
        }
        else
        {
            operand = ParseLiteral();
        }

        SkipSpaces();
        EnsureMore("Unclosed filter");
        return operand;
    }

    private NetOperand ParseLiteral()
    {
        int start = _pos;
        char c = _text[_pos];
        if (c == '\'')
        {
            return NetOperand.ForLiteral(NetScalar.FromString(ReadQuoted()));
        }

        if (char.IsDigit(c) || c == '-')
        {
            return ParseNumber();
        }

        if (c == '/')
        {
            return ParseRegex();
        }

        if (Match("true"))
        {
            return NetOperand.ForLiteral(NetScalar.FromBoolean(true));
        }

        if (Match("false"))
        {
            return NetOperand.ForLiteral(NetScalar.FromBoolean(false));
        }

        if (Match("null"))
        {
            return NetOperand.ForLiteral(NetScalar.Null);
        }

        return ThrowHelper.Syntax<NetOperand>("Unexpected " + ThrowHelper.Describe(_text, start), start, _text);
    }

    /// <summary>
    /// A number literal runs to the next space or <c>)</c> (so <c>@.a==1&amp;&amp;…</c> is an error, as in Json.NET).
    /// With <c>.</c>, <c>e</c> or <c>E</c> it is a double, otherwise an Int64.
    /// </summary>
    private NetOperand ParseNumber()
    {
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] is not (' ' or ')'))
        {
            _pos++;
        }

        if (_pos == _text.Length)
        {
            Fail("Unclosed filter", _pos);
        }

        ReadOnlySpan<char> text = _text.AsSpan(start, _pos - start);
        if (text.IndexOfAny('.', 'e', 'E') >= 0)
        {
            if (double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double d))
            {
                return NetOperand.ForLiteral(NetScalar.FromFloat(d));
            }
        }
        else if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
        {
            return NetOperand.ForLiteral(NetScalar.FromInteger(l));
        }

        return ThrowHelper.Syntax<NetOperand>("Invalid number '" + text.ToString() + "'", start, _text);
    }

    private NetOperand ParseRegex()
    {
        int start = _pos;
        _pos++;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '\\' && _pos + 1 < _text.Length)
            {
                _pos += 2;
            }
            else if (c == '/')
            {
                _pos++;
                while (_pos < _text.Length && char.IsLetter(_text[_pos]))
                {
                    _pos++;
                }

                string text = _text.Substring(start, _pos - start);
                Regex regex = NetRegex.TryCreate(text) ?? ThrowHelper.Syntax<Regex>("Invalid regular expression", start, _text);
                return NetOperand.ForLiteral(NetScalar.FromString(text), regex);
            }
            else
            {
                _pos++;
            }
        }

        return ThrowHelper.Syntax<NetOperand>("Unterminated regular expression", start, _text);
    }

    private NetOperator ParseOperator()
    {
        int start = _pos;
        if (_pos + 1 >= _text.Length)
        {
            Fail("Unclosed filter", _pos);
        }

        // Longest first, as Json.NET tries them.
        if (Match("===")) return NetOperator.StrictEquals;
        if (Match("==")) return NetOperator.Equals;
        if (Match("=~")) return NetOperator.RegexEquals;
        if (Match("!==")) return NetOperator.StrictNotEquals;
        if (Match("!=") || Match("<>")) return NetOperator.NotEquals;
        if (Match("<=")) return NetOperator.LessThanOrEquals;
        if (Match("<")) return NetOperator.LessThan;
        if (Match(">=")) return NetOperator.GreaterThanOrEquals;
        if (Match(">")) return NetOperator.GreaterThan;
        return ThrowHelper.Syntax<NetOperator>("Unexpected " + ThrowHelper.Describe(_text, start) + ", expected a comparison operator", start, _text);
    }

    private bool Match(string token)
    {
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0 && _pos + token.Length <= _text.Length)
        {
            _pos += token.Length;
            return true;
        }

        return false;
    }
}
