namespace MedTechEdge.JmesPath.Ast;

/// <summary>
/// <c>left[*].right</c> and the slice projection: left must give an array; right is evaluated against each item
/// and null results are dropped (specification, "List and Slice Projections").
/// </summary>
internal sealed class ListProjectionNode(Node left, Node right) : Node(NodeKind.ListProjection)
{
    public Node Left { get; } = left;

    public Node Right { get; } = right;

    public override bool IsProjection => true;
}

/// <summary><c>left.*.right</c>: a projection over the values of an object (specification, "Object Projections").</summary>
internal sealed class ValueProjectionNode(Node left, Node right) : Node(NodeKind.ValueProjection)
{
    public Node Left { get; } = left;

    public Node Right { get; } = right;

    public override bool IsProjection => true;
}

/// <summary>
/// <c>left[]</c>: flattens one level of nesting. The parser wraps it in a <see cref="ListProjectionNode"/>, so the
/// projection flag comes from there (specification, "Flatten Operator").
/// </summary>
internal sealed class FlattenNode(Node left) : Node(NodeKind.Flatten)
{
    public Node Left { get; } = left;
}

/// <summary><c>left[?condition].right</c>: a list projection that keeps the items whose condition is truthy (specification, "Filter Expressions").</summary>
internal sealed class FilterProjectionNode(Node left, Node condition, Node right) : Node(NodeKind.FilterProjection)
{
    public Node Left { get; } = left;

    public Node Condition { get; } = condition;

    public Node Right { get; } = right;

    public override bool IsProjection => true;
}
