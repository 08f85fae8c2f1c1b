using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast;

/// <summary>One step of a compiled query. It selects nodes from its input node and passes each to <see cref="Next"/>.</summary>
internal abstract class PathStep
{
    /// <summary>The following step, or null when this step ends the query. Set once by <see cref="Query"/>.</summary>
    public PathStep? Next { get; set; }

    /// <summary>True when the step selects at most one node (RFC 9535 §2.3.5.1 singular query segments).</summary>
    public virtual bool IsSingular => false;

    public abstract void Apply(Evaluator evaluator, in Node node);
}
