using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// One node of the queried document. <see cref="IsExtendedRoot"/> marks the root when the caller asked for an
/// extra member (MedTech's <c>matchedToken</c>); only that node enumerates differently, so a flag is enough and
/// nothing is copied.
/// </summary>
internal readonly struct Node
{
    public Node(JsonElement value, bool isExtendedRoot)
    {
        Value = value;
        IsExtendedRoot = isExtendedRoot;
    }

    public JsonElement Value { get; }

    public bool IsExtendedRoot { get; }

    public JsonValueKind Kind => Value.ValueKind;

    public static Node Of(JsonElement value) => new(value, isExtendedRoot: false);
}
