using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// One node of the queried document. Two flags mark the root when it is special, so nothing is copied:
/// <see cref="IsExtendedRoot"/> when the caller asked for an extra member (MedTech's <c>matchedToken</c>), and
/// <see cref="IsVirtual"/> when the root is a <see cref="VirtualObject"/> rather than a parsed element.
/// </summary>
internal readonly struct Node
{
    public Node(JsonElement value, bool isExtendedRoot)
    {
        Value = value;
        IsExtendedRoot = isExtendedRoot;
        IsVirtual = false;
    }

    private Node(bool isExtendedRoot)
    {
        Value = default;
        IsExtendedRoot = isExtendedRoot;
        IsVirtual = true;
    }

    /// <summary>The element; <c>default</c> for the virtual root.</summary>
    public JsonElement Value { get; }

    public bool IsExtendedRoot { get; }

    public bool IsVirtual { get; }

    public JsonValueKind Kind => IsVirtual ? JsonValueKind.Object : Value.ValueKind;

    public static Node Of(JsonElement value) => new(value, isExtendedRoot: false);

    public static Node VirtualRoot(bool isExtendedRoot) => new(isExtendedRoot);
}
