using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast;

/// <summary>A compiled filter expression: the part inside <c>[?…]</c> (RFC 9535) or <c>[?(…)]</c> (MedTech).</summary>
internal abstract class FilterExpression
{
    /// <summary>Tests <paramref name="current"/> (the <c>@</c> node). Never throws for any document.</summary>
    public abstract bool Test(Evaluator evaluator, in Node current);

    /// <summary>
    /// Names of which the tested node must have at least one as a member for the filter to be true, or null when
    /// the filter can be true without any (a root path, a literal). A scan uses this to pass over nodes cheaply.
    /// </summary>
    public virtual string[]? RequiredMemberNames => null;
}
