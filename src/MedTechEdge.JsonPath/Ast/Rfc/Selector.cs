using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>An RFC 9535 selector (§2.3): selects children of one node and hands each to the segment's next step.</summary>
internal abstract class Selector
{
    /// <summary>True for name and index selectors, the only ones allowed in a singular query (§2.3.5.1).</summary>
    public virtual bool IsSingular => false;

    public abstract void Select(Evaluator evaluator, in Node node, PathStep? next);
}
