using MedTechEdge.JsonPath.Ast;
using MedTechEdge.JsonPath.Ast.Rfc;
using MedTechEdge.JsonPath.Functions;
using MedTechEdge.JsonPath.Lexing;

namespace MedTechEdge.JsonPath.Parsing;

/// <summary>Function expressions, type-checked against their signatures as RFC 9535 §2.4.3 requires.</summary>
internal sealed partial class RfcParser
{
    // function-expr = function-name "(" S [function-argument *(S "," S function-argument)] S ")"
    private FunctionCall ParseFunctionCall()
    {
        Token name = Current;
        FunctionDefinition definition = FunctionDefinition.Find(name.Text!)
            ?? ThrowHelper.Syntax<FunctionDefinition>("Unknown function '" + name.Text + "'", name.Start, _text);
        _index += 2; // name and '('
        var arguments = new List<FunctionArgument>();
        if (Current.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                if (arguments.Count == definition.Parameters.Length)
                {
                    Fail(definition.Name + "() takes " + definition.Parameters.Length + " argument(s)", Current.Start);
                }

                arguments.Add(ParseFunctionArgument(definition.Parameters[arguments.Count]));
                if (Current.Kind != TokenKind.Comma)
                {
                    break;
                }

                _index++;
            }
        }

        if (arguments.Count != definition.Parameters.Length)
        {
            Fail(definition.Name + "() takes " + definition.Parameters.Length + " argument(s)", Current.Start);
        }

        Expect(TokenKind.RightParen, "')'");
        return new FunctionCall(definition, arguments.ToArray());
    }

    /// <summary>
    /// §2.4.3: a ValueType parameter takes a literal, a singular query or a ValueType function; a NodesType
    /// parameter takes any filter query. A logical expression fits neither.
    /// </summary>
    private FunctionArgument ParseFunctionArgument(FunctionType parameter)
    {
        Token start = Current;
        if (start.Kind is TokenKind.Not or TokenKind.LeftParen)
        {
            Fail("A logical expression is not a valid argument here", start.Start);
        }

        Operand operand = ParseOperand();
        if (Current.Kind is not (TokenKind.Comma or TokenKind.RightParen))
        {
            Fail("Unexpected " + Describe(Current) + " in a function argument", Current.Start);
        }

        if (parameter == FunctionType.NodesType)
        {
            if (operand.Query is null)
            {
                Fail("Expected a query (NodesType argument)", start.Start);
            }

            return FunctionArgument.OfNodes(operand.Query);
        }

        return FunctionArgument.OfValue(ToComparable(operand, start));
    }
}
