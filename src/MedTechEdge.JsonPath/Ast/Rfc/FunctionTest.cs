using MedTechEdge.JsonPath.Evaluation;
using MedTechEdge.JsonPath.Functions;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.5.1 <c>test-expr</c> with a LogicalType function (match, search).</summary>
internal sealed class FunctionTest : FilterExpression
{
    private readonly FunctionCall _call;

    public FunctionTest(FunctionCall call) => _call = call;

    public override bool Test(Evaluator evaluator, in Node current) => _call.TestLogical(evaluator, current);
}
