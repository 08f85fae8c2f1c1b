using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast;

/// <summary>A compiled filter expression: the part inside <c>[?…]</c> (RFC 9535) or <c>[?(…)]</c> (MedTech).</summary>
internal abstract class FilterExpression
{
    /// <summary>Tests <paramref name="current"/> (the <c>@</c> node). Never throws for any document.</summary>
    public abstract bool Test(Evaluator evaluator, in Node current);
}
