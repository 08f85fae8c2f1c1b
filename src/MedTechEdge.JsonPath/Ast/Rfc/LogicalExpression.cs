using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.5.1 <c>logical-or-expr</c> / <c>logical-and-expr</c>, short-circuiting left to right.</summary>
internal sealed class LogicalExpression : FilterExpression
{
    private readonly FilterExpression[] _parts;
    private readonly bool _isAnd;

    public LogicalExpression(FilterExpression[] parts, bool isAnd)
    {
        _parts = parts;
        _isAnd = isAnd;
    }

    public override bool Test(Evaluator evaluator, in Node current)
    {
        foreach (FilterExpression part in _parts)
        {
            if (part.Test(evaluator, current) != _isAnd)
            {
                return !_isAnd;
            }
        }

        return _isAnd;
    }
}
