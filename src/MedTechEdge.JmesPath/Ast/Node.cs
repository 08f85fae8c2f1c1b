namespace MedTechEdge.JmesPath.Ast;

/// <summary>
/// An AST node. Nodes are immutable data; evaluation lives in <see cref="Interpretation.Interpreter"/>.
/// </summary>
internal abstract class Node
{
    protected Node(NodeKind kind)
    {
        Kind = kind;
    }

    public NodeKind Kind { get; }

    /// <summary>
    /// True when evaluating this node yields a projection (specification, "Projections"): list, slice, object,
    /// flatten and filter projections, and pipes whose right side passes a projection through.
    /// </summary>
    public virtual bool IsProjection => false;
}
