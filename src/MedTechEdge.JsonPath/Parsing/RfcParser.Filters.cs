using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.Rfc;
using MedTechEdge.JsonPath.Functions;
using MedTechEdge.JsonPath.Lexing;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>
/// RFC 9535 §2.3.5 filter expressions: <c>||</c> binds loosest, then <c>&amp;&amp;</c>, then <c>!</c>,
/// parentheses, comparisons and tests. Comparisons do not chain.
/// </summary>
internal sealed partial class RfcParser
{
    // logical-or-expr = logical-and-expr *(S "||" S logical-and-expr)
    private FilterExpression ParseLogicalOr()
    {
        FilterExpression first = ParseLogicalAnd();
        if (Current.Kind != TokenKind.Or)
        {
            return first;
        }

        var parts = new List<FilterExpression> { first };
        while (Current.Kind == TokenKind.Or)
        {
            _index++;
            parts.Add(ParseLogicalAnd());
        }

        return new LogicalExpression(parts.ToArray(), isAnd: false);
    }

    // logical-and-expr = basic-expr *(S "&&" S basic-expr)
    private FilterExpression ParseLogicalAnd()
    {
        FilterExpression first = ParseBasic();
        if (Current.Kind != TokenKind.And)
        {
            return first;
        }

        var parts = new List<FilterExpression> { first };
        while (Current.Kind == TokenKind.And)
        {
            _index++;
            parts.Add(ParseBasic());
        }

        return new LogicalExpression(parts.ToArray(), isAnd: true);
    }

    // basic-expr = paren-expr / comparison-expr / test-expr
    private FilterExpression ParseBasic()
    {
        if (Current.Kind == TokenKind.Not)
        {
            _index++;
            if (Current.Kind == TokenKind.LeftParen)
            {
                return new NotExpression(ParseParenthesized());
            }

            // test-expr = [logical-not-op S] (filter-query / function-expr): a negated comparison needs parentheses.
            int start = Current.Start;
            FilterExpression test = ParseComparisonOrTest();
            if (test is ComparisonExpression)
            {
                Fail("'!' applies to a test; put the comparison in parentheses", start);
            }

            return new NotExpression(test);
        }

        return Current.Kind == TokenKind.LeftParen ? ParseParenthesized() : ParseComparisonOrTest();
    }

    // paren-expr = "(" S logical-expr S ")"
    private FilterExpression ParseParenthesized()
    {
        _index++;
        FilterExpression inner = ParseLogicalOr();
        Expect(TokenKind.RightParen, "')'");
        return inner;
    }

    private FilterExpression ParseComparisonOrTest()
    {
        Token start = Current;
        Operand left = ParseOperand();
        if (TryComparisonOperator(Current.Kind, out ComparisonOperator op))
        {
            _index++;
            Token rightStart = Current;
            Operand right = ParseOperand();
            return new ComparisonExpression(ToComparable(left, start), op, ToComparable(right, rightStart));
        }

        if (left.Query is not null)
        {
            return new ExistenceTest(left.Query);
        }

        if (left.Function is not null)
        {
            // §2.4.3: a test-expr function must return LogicalType (or NodesType, which none of the built-ins do).
            if (left.Function.Definition.Result == FunctionType.ValueType)
            {
                Fail("The result of " + left.Function.Definition.Name + "() must be compared", start.Start);
            }

            return new FunctionTest(left.Function);
        }

        return ThrowHelper.Syntax<FilterExpression>("A literal cannot stand alone in a filter; compare it with something", start.Start, _text);
    }

    /// <summary>§2.3.5.1 comparable = literal / singular-query / function-expr (ValueType result, §2.4.3).</summary>
    private Comparable ToComparable(Operand operand, Token at)
    {
        if (operand.Literal is not null)
        {
            return operand.Literal;
        }

        if (operand.Query is not null)
        {
            if (!operand.Query.IsSingular)
            {
                Fail("Only a singular query (names and indices) can be compared", at.Start);
            }

            return new QueryComparable(operand.Query);
        }

        if (operand.Function!.Definition.Result != FunctionType.ValueType)
        {
            Fail("The result of " + operand.Function.Definition.Name + "() cannot be compared", at.Start);
        }

        return operand.Function;
    }

    private static bool TryComparisonOperator(TokenKind kind, out ComparisonOperator op)
    {
        op = kind switch
        {
            TokenKind.Equal => ComparisonOperator.Equal,
            TokenKind.NotEqual => ComparisonOperator.NotEqual,
            TokenKind.Less => ComparisonOperator.Less,
            TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
            TokenKind.Greater => ComparisonOperator.Greater,
            _ => ComparisonOperator.GreaterOrEqual,
        };
        return kind is TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual
            or TokenKind.Greater or TokenKind.GreaterOrEqual;
    }

    /// <summary>A filter query (<c>@…</c>, <c>$…</c>), a function call, or a literal.</summary>
    private Operand ParseOperand()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Root:
            case TokenKind.Current:
                _index++;
                return new Operand(new Query(ParseSegments(), isRelative: token.Kind == TokenKind.Current), null, null);
            case TokenKind.String:
                _index++;
                return new Operand(null, null, new LiteralComparable(Literals.FromString(token.Text!)));
            case TokenKind.Number:
                _index++;
                return new Operand(null, null, new LiteralComparable(Literals.FromNumber(token, _text)));
            case TokenKind.Name:
                if (_tokens[_index + 1].Kind == TokenKind.LeftParen && !_tokens[_index + 1].SpaceBefore)
                {
                    return new Operand(null, ParseFunctionCall(), null);
                }

                _index++;
                return token.Text switch
                {
                    "true" => new Operand(null, null, new LiteralComparable(Literals.True)),
                    "false" => new Operand(null, null, new LiteralComparable(Literals.False)),
                    "null" => new Operand(null, null, new LiteralComparable(Literals.Null)),
                    _ => ThrowHelper.Syntax<Operand>("Unexpected name '" + token.Text + "' in a filter", token.Start, _text),
                };
            default:
                return ThrowHelper.Syntax<Operand>("Unexpected " + Describe(token) + " in a filter", token.Start, _text);
        }
    }

    private sealed record Operand(Query? Query, FunctionCall? Function, LiteralComparable? Literal);
}
