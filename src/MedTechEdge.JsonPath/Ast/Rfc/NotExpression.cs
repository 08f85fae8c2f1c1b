using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.5.1 <c>logical-not-op</c>.</summary>
internal sealed class NotExpression : FilterExpression
{
    private readonly FilterExpression _operand;

    public NotExpression(FilterExpression operand) => _operand = operand;

    public override bool Test(Evaluator evaluator, in Node current) => !_operand.Test(evaluator, current);
}
