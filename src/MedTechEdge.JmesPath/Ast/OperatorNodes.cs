namespace MedTechEdge.JmesPath.Ast;

/// <summary>The comparison operators (specification, "Filter Expressions", comparator).</summary>
internal enum ComparatorKind
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
}

/// <summary><c>left op right</c> with a comparator.</summary>
internal sealed class ComparatorNode(ComparatorKind comparator, Node left, Node right) : Node(NodeKind.Comparator)
{
    public ComparatorKind Comparator { get; } = comparator;

    public Node Left { get; } = left;

    public Node Right { get; } = right;
}

/// <summary><c>left || right</c> and <c>left &amp;&amp; right</c>, told apart by <see cref="Node.Kind"/>.</summary>
internal sealed class LogicalNode(NodeKind kind, Node left, Node right) : Node(kind)
{
    public Node Left { get; } = left;

    public Node Right { get; } = right;
}

/// <summary><c>!operand</c>.</summary>
internal sealed class NotNode(Node operand) : Node(NodeKind.Not)
{
    public Node Operand { get; } = operand;
}

/// <summary>
/// <c>left | right</c>: right is evaluated against the result of left, and any projection stops at the pipe
/// (specification, "Pipe Expressions").
/// </summary>
internal sealed class PipeNode(Node left, Node right) : Node(NodeKind.Pipe)
{
    public Node Left { get; } = left;

    public Node Right { get; } = right;

    /// <summary>The pipe gives a projection when its right side does, or when the right side is <c>@</c> over a projection.</summary>
    public override bool IsProjection => Right.IsProjection || (Right.Kind == NodeKind.Current && Left.IsProjection);
}
