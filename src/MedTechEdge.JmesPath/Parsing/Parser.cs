using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Functions;
using MedTechEdge.JmesPath.Lexing;

namespace MedTechEdge.JmesPath.Parsing;

/// <summary>
/// Design note. A top-down operator precedence (Pratt) parser over the token list from <see cref="Lexer"/>.
/// <para>
/// <see cref="Expression(int)"/> reads one token and calls its prefix handler ("nud"), then, while the next
/// token's left binding power (<see cref="BindingPower"/>) is higher than the caller's right binding power, calls
/// that token's infix handler ("led") with the expression built so far. One table of powers encodes the whole
/// precedence of the JMESPath grammar, which keeps the parser short and makes precedence bugs a one-line fix.
/// </para>
/// <para>
/// Projections are the subtle part (specification, "Projections"). After <c>[*]</c>, <c>*</c>, <c>[]</c>,
/// <c>[?...]</c> or a slice, the parser reads the projection's right side with <see cref="ProjectionRhs"/>:
/// tokens that bind at least as tightly as <see cref="BindingPower.ProjectionStop"/> (<c>.</c>, <c>[</c>,
/// <c>[?</c>) continue the projection, so <c>a[*].b[0]</c> takes <c>[0]</c> of each <c>b</c>; weaker tokens
/// (<c>|</c>, <c>||</c>, <c>&amp;&amp;</c>, comparators, <c>[]</c>) end it and apply to the projected list.
/// </para>
/// <para>
/// Functions are bound to their definitions here, so unknown names and wrong arity fail at parse time, with the
/// position of the name. The parser never evaluates anything; the only check on values is a slice step of 0,
/// rejected here because it is a literal.
/// </para>
/// </summary>
internal sealed partial class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly JmesPathFunctionSet _functions;
    private int _index;

    private Parser(string text, JmesPathFunctionSet functions)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
        _functions = functions;
    }

    private Token Current => _tokens[_index];

    public static Node Parse(string text, JmesPathFunctionSet functions)
    {
        var parser = new Parser(text, functions);
        Node root = parser.Expression(0);
        if (parser.Current.Kind != TokenKind.Eof)
        {
            throw parser.Error(parser.Current, $"unexpected {Describe(parser.Current.Kind)} after a complete expression");
        }

        return root;
    }

    /// <summary>The Pratt loop: one prefix handler, then infix handlers while the next token binds tighter.</summary>
    private Node Expression(int rightBindingPower)
    {
        Token token = Advance();
        Node left = Nud(token);
        while (rightBindingPower < BindingPower.Of(Current.Kind))
        {
            left = Led(Advance(), left);
        }

        return left;
    }

    private Node Nud(Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.Literal:
            case TokenKind.RawString:
                return new LiteralNode(token.Value);
            case TokenKind.UnquotedIdentifier:
                return new FieldNode(token.Text!);
            case TokenKind.QuotedIdentifier:
                if (Current.Kind == TokenKind.LParen)
                {
                    // Specification, "Functions": function-name is an unquoted-string.
                    throw Error(token, "a quoted identifier cannot name a function");
                }

                return new FieldNode(token.Text!);
            case TokenKind.Star:
                // "*" alone is an object projection of the current node.
                return new ValueProjectionNode(CurrentNode.Instance, ProjectionRhs(BindingPower.Star));
            case TokenKind.Filter:
                return ParseFilter(CurrentNode.Instance);
            case TokenKind.Flatten:
                return new ListProjectionNode(new FlattenNode(CurrentNode.Instance), ProjectionRhs(BindingPower.Flatten));
            case TokenKind.LBrace:
                return ParseMultiSelectHash();
            case TokenKind.LParen:
                Node inner = Expression(0);
                Expect(TokenKind.RParen);
                return inner;
            case TokenKind.Not:
                return new NotNode(Expression(BindingPower.Not));
            case TokenKind.Current:
                return CurrentNode.Instance;
            case TokenKind.Expref:
                // Binding power 0 of '&': the reference takes the whole expression up to the next ',' or ')'.
                return new ExpressionReferenceNode(Expression(0));
            case TokenKind.LBracket:
                return NudBracket();
            default:
                throw Error(token, $"unexpected {Describe(token.Kind)}");
        }
    }

    /// <summary>A leading '[': an index or slice of '@', '[*]' on '@', or a multiselect list.</summary>
    private Node NudBracket()
    {
        if (Current.Kind is TokenKind.Number or TokenKind.Colon)
        {
            return IndexOrSlice(CurrentNode.Instance);
        }

        if (Current.Kind == TokenKind.Star && Peek(1).Kind == TokenKind.RBracket)
        {
            Advance();
            Advance();
            return new ListProjectionNode(CurrentNode.Instance, ProjectionRhs(BindingPower.Star));
        }

        return ParseMultiSelectList();
    }

    private Token Advance()
    {
        Token token = _tokens[_index];
        if (token.Kind != TokenKind.Eof)
        {
            _index++;
        }

        return token;
    }

    private Token Peek(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Expect(TokenKind kind)
    {
        Token token = Current;
        if (token.Kind != kind)
        {
            throw Error(token, $"expected {Describe(kind)} but found {Describe(token.Kind)}");
        }

        return Advance();
    }

    private JmesPathException Error(Token token, string reason) => ThrowHelper.CreateSyntaxError(_text, token.Position, reason);

    private static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Eof => "end of expression",
        TokenKind.UnquotedIdentifier or TokenKind.QuotedIdentifier => "identifier",
        TokenKind.Number => "number",
        TokenKind.Literal => "literal",
        TokenKind.RawString => "raw string",
        TokenKind.Dot => "'.'",
        TokenKind.Star => "'*'",
        TokenKind.Flatten => "'[]'",
        TokenKind.Filter => "'[?'",
        TokenKind.LBracket => "'['",
        TokenKind.RBracket => "']'",
        TokenKind.LBrace => "'{'",
        TokenKind.RBrace => "'}'",
        TokenKind.LParen => "'('",
        TokenKind.RParen => "')'",
        TokenKind.Comma => "','",
        TokenKind.Colon => "':'",
        TokenKind.Pipe => "'|'",
        TokenKind.Or => "'||'",
        TokenKind.And => "'&&'",
        TokenKind.Not => "'!'",
        TokenKind.Expref => "'&'",
        TokenKind.Current => "'@'",
        _ => "comparator",
    };
}
