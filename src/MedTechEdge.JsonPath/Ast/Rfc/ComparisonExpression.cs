using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>
/// RFC 9535 §2.3.5.2.2 comparison. <c>!=</c> is the negation of <c>==</c>; <c>&lt;=</c> is <c>&lt;</c> or <c>==</c>;
/// <c>&gt;</c> and <c>&gt;=</c> swap the operands of <c>&lt;</c> and <c>&lt;=</c>.
/// </summary>
internal sealed class ComparisonExpression : FilterExpression
{
    private readonly Comparable _left;
    private readonly ComparisonOperator _operator;
    private readonly Comparable _right;

    public ComparisonExpression(Comparable left, ComparisonOperator op, Comparable right)
    {
        _left = left;
        _operator = op;
        _right = right;
    }

    public override bool Test(Evaluator evaluator, in Node current)
    {
        FilterValue left = _left.Evaluate(evaluator, current);
        FilterValue right = _right.Evaluate(evaluator, current);
        return _operator switch
        {
            ComparisonOperator.Equal => RfcComparer.AreEqual(left, right),
            ComparisonOperator.NotEqual => !RfcComparer.AreEqual(left, right),
            ComparisonOperator.Less => RfcComparer.IsLess(left, right),
            ComparisonOperator.LessOrEqual => RfcComparer.IsLess(left, right) || RfcComparer.AreEqual(left, right),
            ComparisonOperator.Greater => RfcComparer.IsLess(right, left),
            _ => RfcComparer.IsLess(right, left) || RfcComparer.AreEqual(left, right),
        };
    }
}
