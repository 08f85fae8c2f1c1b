namespace MedTechEdge.JmesPath.Ast;

/// <summary><c>@</c>, and the implicit left side of a projection (specification, "Current Node").</summary>
internal sealed class CurrentNode : Node
{
    public static readonly CurrentNode Instance = new();

    private CurrentNode()
        : base(NodeKind.Current)
    {
    }
}

/// <summary>A JSON literal (<c>`...`</c>) or a raw string (<c>'...'</c>).</summary>
internal sealed class LiteralNode(JmesPathValue value) : Node(NodeKind.Literal)
{
    public JmesPathValue Value { get; } = value;
}

/// <summary>An identifier: a member lookup on the current object, null for anything else.</summary>
internal sealed class FieldNode(string name) : Node(NodeKind.Field)
{
    public string Name { get; } = name;

    /// <summary>The name in UTF-8, encoded once here so document lookups need not transcode per evaluation.</summary>
    public byte[] Utf8Name { get; } = System.Text.Encoding.UTF8.GetBytes(name);
}

/// <summary><c>left.right</c>: evaluate right against the result of left (specification, "SubExpressions").</summary>
internal sealed class SubexpressionNode(Node left, Node right) : Node(NodeKind.Subexpression)
{
    public Node Left { get; } = left;

    public Node Right { get; } = right;
}

/// <summary>
/// <c>[n]</c> on the current array; negative indices count from the end (specification, "Index Expressions").
/// <c>left[n]</c> is a <see cref="SubexpressionNode"/> of left and this node.
/// </summary>
internal sealed class IndexNode(int index) : Node(NodeKind.Index)
{
    public int Index { get; } = index;
}

/// <summary><c>[start:stop:step]</c> on the current array; each bound may be absent (specification, "Slices").</summary>
internal sealed class SliceNode(int? start, int? stop, int? step) : Node(NodeKind.Slice)
{
    public int? Start { get; } = start;

    public int? Stop { get; } = stop;

    public int? Step { get; } = step;
}
