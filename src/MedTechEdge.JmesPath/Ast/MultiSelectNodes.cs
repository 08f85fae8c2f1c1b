namespace MedTechEdge.JmesPath.Ast;

/// <summary><c>[a, b, ...]</c>: a new array of the results (specification, "MultiSelect List").</summary>
internal sealed class MultiSelectListNode(Node[] items) : Node(NodeKind.MultiSelectList)
{
    public Node[] Items { get; } = items;
}

/// <summary><c>{k1: a, k2: b, ...}</c>: a new object (specification, "MultiSelect Hash").</summary>
internal sealed class MultiSelectHashNode(KeyValuePair<string, Node>[] members) : Node(NodeKind.MultiSelectHash)
{
    public KeyValuePair<string, Node>[] Members { get; } = members;
}
