namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// Questions a descendant scan can answer from a container's UTF-8 text instead of walking it. Every answer errs
/// on the side of walking: "maybe" is always safe, only a certain "no" lets the scan skip work.
/// </summary>
internal static class RawText
{
    /// <summary>
    /// True when <paramref name="name"/> is spelled identically in any JSON text that holds it: it has no character
    /// that JSON may escape (<c>"</c>, <c>\</c>, <c>/</c>, controls) and no surrogate.
    /// </summary>
    public static bool IsPlainName(string name)
    {
        foreach (char c in name)
        {
            if (c is '"' or '\\' or '/' or < ' ' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// False when <paramref name="raw"/> certainly holds no member named like any of <paramref name="plainNames"/>:
    /// no name occurs in it, and it has no <c>\u</c> escape that could spell one differently.
    /// </summary>
    public static bool MayHoldAny(ReadOnlySpan<byte> raw, byte[][] plainNames)
    {
        foreach (byte[] name in plainNames)
        {
            if (raw.IndexOf(name) >= 0)
            {
                return true;
            }
        }

        return raw.IndexOf("\\u"u8) >= 0;
    }

    /// <summary>
    /// How many members named <paramref name="quotedName"/> (the name with its quotes) the text holds at any
    /// depth, or -1 when it cannot tell. Without any backslash every <c>"</c> delimits a string, so a quoted name
    /// followed by <c>:</c> is a member name and nothing else is.
    /// </summary>
    public static int CountMembers(ReadOnlySpan<byte> raw, byte[] quotedName)
    {
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return -1;
        }

        int count = 0;
        int at;
        while ((at = raw.IndexOf(quotedName)) >= 0)
        {
            raw = raw[(at + quotedName.Length)..];
            ReadOnlySpan<byte> rest = raw.TrimStart(" \t\r\n"u8);
            if (!rest.IsEmpty && rest[0] == (byte)':')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// False when the container's text has no <c>{</c> or <c>[</c> after its own opening bracket, so none of its
    /// values is a container. A bracket inside a string makes this answer true, which is only slower.
    /// </summary>
    public static bool MayHaveContainerChildren(ReadOnlySpan<byte> raw) => raw[1..].IndexOfAny((byte)'{', (byte)'[') >= 0;
}
