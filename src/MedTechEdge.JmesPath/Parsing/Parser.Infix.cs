using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Lexing;

namespace MedTechEdge.JmesPath.Parsing;

/// <summary>Infix handlers ("led") and the projection right-hand side.</summary>
internal sealed partial class Parser
{
    private Node Led(Token token, Node left)
    {
        switch (token.Kind)
        {
            case TokenKind.Dot:
                if (Current.Kind == TokenKind.Star)
                {
                    // left.* is an object projection (specification, "Wildcard Expressions").
                    Advance();
                    return new ValueProjectionNode(left, ProjectionRhs(BindingPower.Dot));
                }

                return new SubexpressionNode(left, DotRhs(BindingPower.Dot));
            case TokenKind.Pipe:
                return new PipeNode(left, Expression(BindingPower.Pipe));
            case TokenKind.Or:
                return new LogicalNode(NodeKind.Or, left, Expression(BindingPower.Or));
            case TokenKind.And:
                return new LogicalNode(NodeKind.And, left, Expression(BindingPower.And));
            case TokenKind.Equal:
                return new ComparatorNode(ComparatorKind.Equal, left, Expression(BindingPower.Comparator));
            case TokenKind.NotEqual:
                return new ComparatorNode(ComparatorKind.NotEqual, left, Expression(BindingPower.Comparator));
            case TokenKind.LessThan:
                return new ComparatorNode(ComparatorKind.LessThan, left, Expression(BindingPower.Comparator));
            case TokenKind.LessThanOrEqual:
                return new ComparatorNode(ComparatorKind.LessThanOrEqual, left, Expression(BindingPower.Comparator));
            case TokenKind.GreaterThan:
                return new ComparatorNode(ComparatorKind.GreaterThan, left, Expression(BindingPower.Comparator));
            case TokenKind.GreaterThanOrEqual:
                return new ComparatorNode(ComparatorKind.GreaterThanOrEqual, left, Expression(BindingPower.Comparator));
            case TokenKind.Flatten:
                return new ListProjectionNode(new FlattenNode(left), ProjectionRhs(BindingPower.Flatten));
            case TokenKind.Filter:
                return ParseFilter(left);
            case TokenKind.LParen:
                return ParseFunctionCall(token, left);
            case TokenKind.LBracket:
                if (Current.Kind is TokenKind.Number or TokenKind.Colon)
                {
                    return IndexOrSlice(left);
                }

                // left[*]: only a star may follow '[' here; "a[b]" is not JMESPath.
                Expect(TokenKind.Star);
                Expect(TokenKind.RBracket);
                return new ListProjectionNode(left, ProjectionRhs(BindingPower.Star));
            default:
                throw Error(token, $"unexpected {Describe(token.Kind)}");
        }
    }

    /// <summary>
    /// The right side of a projection. Tokens weaker than <see cref="BindingPower.ProjectionStop"/> end the
    /// projection, leaving '@' as its right side; '[', '[?' and '.' continue it.
    /// </summary>
    private Node ProjectionRhs(int bindingPower)
    {
        Token next = Current;
        if (BindingPower.Of(next.Kind) < BindingPower.ProjectionStop)
        {
            return CurrentNode.Instance;
        }

        switch (next.Kind)
        {
            case TokenKind.LBracket:
            case TokenKind.Filter:
                return Expression(bindingPower);
            case TokenKind.Dot:
                Advance();
                return DotRhs(bindingPower);
            default:
                throw Error(next, $"unexpected {Describe(next.Kind)} after a projection");
        }
    }

    /// <summary>What may follow '.': an identifier, '*', a multiselect list or a multiselect hash (specification, "SubExpressions").</summary>
    private Node DotRhs(int bindingPower)
    {
        Token next = Current;
        switch (next.Kind)
        {
            case TokenKind.UnquotedIdentifier:
            case TokenKind.QuotedIdentifier:
            case TokenKind.Star:
                return Expression(bindingPower);
            case TokenKind.LBracket:
                Advance();
                return ParseMultiSelectList();
            case TokenKind.LBrace:
                Advance();
                return ParseMultiSelectHash();
            default:
                throw Error(next, $"expected an identifier, '*', '[' or '{{' after '.', found {Describe(next.Kind)}");
        }
    }

    /// <summary>After '[' followed by a number or ':': an index, or a slice that starts a projection.</summary>
    private Node IndexOrSlice(Node left)
    {
        int?[] parts = new int?[3];
        int part = 0;
        Token start = Current;
        while (Current.Kind != TokenKind.RBracket)
        {
            Token token = Advance();
            if (token.Kind == TokenKind.Colon)
            {
                part++;
                if (part > 2)
                {
                    throw Error(token, "a slice has at most three parts");
                }
            }
            else if (token.Kind == TokenKind.Number && parts[part] is null)
            {
                parts[part] = token.Number;
            }
            else
            {
                throw Error(token, $"expected a number, ':' or ']' in an index or slice, found {Describe(token.Kind)}");
            }
        }

        Advance();
        if (part == 0)
        {
            return new SubexpressionNode(left, new IndexNode(parts[0]!.Value));
        }

        if (parts[2] == 0)
        {
            // Specification, "Slices": a step of 0 is an invalid-value error.
            ThrowHelper.ThrowAtPosition(JmesPathErrorKind.InvalidValue, _text, start.Position, "Error: invalid-value, a slice step cannot be 0");
        }

        Node slice = new SubexpressionNode(left, new SliceNode(parts[0], parts[1], parts[2]));
        return new ListProjectionNode(slice, ProjectionRhs(BindingPower.Star));
    }

    private FilterProjectionNode ParseFilter(Node left)
    {
        Node condition = Expression(0);
        Expect(TokenKind.RBracket);
        return new FilterProjectionNode(left, condition, ProjectionRhs(BindingPower.Filter));
    }

    private MultiSelectListNode ParseMultiSelectList()
    {
        var items = new List<Node>();
        do
        {
            items.Add(Expression(0));
        }
        while (TryConsume(TokenKind.Comma));

        Expect(TokenKind.RBracket);
        return new MultiSelectListNode(items.ToArray());
    }

    private MultiSelectHashNode ParseMultiSelectHash()
    {
        var members = new List<KeyValuePair<string, Node>>();
        do
        {
            Token key = Current;
            if (key.Kind is not (TokenKind.UnquotedIdentifier or TokenKind.QuotedIdentifier))
            {
                throw Error(key, $"expected a key in a multiselect hash, found {Describe(key.Kind)}");
            }

            Advance();
            Expect(TokenKind.Colon);
            members.Add(new KeyValuePair<string, Node>(key.Text!, Expression(0)));
        }
        while (TryConsume(TokenKind.Comma));

        Expect(TokenKind.RBrace);
        return new MultiSelectHashNode(members.ToArray());
    }

    private bool TryConsume(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }
}
