using MedTechEdge.JmesPath.Ast;
using MedTechEdge.JmesPath.Functions;
using MedTechEdge.JmesPath.Lexing;

namespace MedTechEdge.JmesPath.Parsing;

/// <summary>Function calls: name resolution and arity, both checked at parse time.</summary>
internal sealed partial class Parser
{
    private FunctionCallNode ParseFunctionCall(Token lparen, Node left)
    {
        // The token before '(' is the function name; only an unquoted identifier can name a function.
        Token nameToken = _tokens[_index - 2];
        if (left is not FieldNode field || nameToken.Kind != TokenKind.UnquotedIdentifier)
        {
            throw Error(lparen, "'(' must follow a function name");
        }

        var arguments = new List<Node>();
        if (Current.Kind != TokenKind.RParen)
        {
            do
            {
                arguments.Add(Expression(0));
            }
            while (TryConsume(TokenKind.Comma));
        }

        Expect(TokenKind.RParen);

        if (!_functions.TryGetDefinition(field.Name, out FunctionDefinition? function))
        {
            ThrowHelper.ThrowAtPosition(
                JmesPathErrorKind.UnknownFunction,
                _text,
                nameToken.Position,
                $"Error: unknown-function, function {field.Name}() is not defined");
        }

        if (arguments.Count < function.MinArity || arguments.Count > function.MaxArity)
        {
            ThrowHelper.ThrowAtPosition(
                JmesPathErrorKind.InvalidArity,
                _text,
                nameToken.Position,
                $"Error: invalid-arity, function {function.Name}() expects {function.DescribeArity()} but got {arguments.Count}");
        }

        return new FunctionCallNode(function, arguments.ToArray());
    }
}
