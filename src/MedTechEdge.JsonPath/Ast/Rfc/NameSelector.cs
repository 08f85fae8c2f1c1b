using System.Text;
using System.Text.Json;
using MedTechEdge.JsonPath.Evaluation;

namespace MedTechEdge.JsonPath.Ast.Rfc;

/// <summary>RFC 9535 §2.3.1 name selector: the member's value when the node is an object that has it.</summary>
internal sealed class NameSelector : Selector
{
    private readonly string _name;

    // Null when the name holds a lone surrogate (RFC 9535 allows the escape): UTF-8 cannot spell it, so the
    // lookup then goes by the string.
    private readonly byte[]? _utf8Name;

    public NameSelector(string name)
    {
        _name = name;
        _utf8Name = IsWellFormed(name) ? Encoding.UTF8.GetBytes(name) : null;
    }

    public override bool IsSingular => true;

    public override void Select(Evaluator evaluator, in Node node, PathStep? next)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            return;
        }

        JsonElement value;
        bool found = _utf8Name is not null
            ? evaluator.TryGetMember(node, _name, _utf8Name, out value)
            : evaluator.TryGetMember(node, _name, out value);
        if (found)
        {
            evaluator.Continue(next, Node.Of(value));
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
