using System.Text;
using System.Text.Json;

namespace MedTechEdge.JsonPath;

/// <summary>
/// A JSON object that is not one parsed document: a fixed list of named members whose values the subclass
/// supplies, typically parsed only when a query first reaches them. MedTech's envelope
/// <c>{Body, Properties, SystemProperties}</c> is one: the body is parsed once on its own and never copied into a
/// composed document, and the small property objects are parsed only when a query actually enters them.
/// </summary>
/// <remarks>
/// Only the <see cref="JsonPathDialect.MedTech"/> dialect evaluates over a virtual object. When a query selects the
/// virtual object itself (for example <c>$</c>, or <c>$..[?(@Body.x)]</c> matching the root), the result list holds
/// <c>default(JsonElement)</c> (<see cref="JsonValueKind.Undefined"/>) in its place, because the object has no
/// <see cref="JsonElement"/> of its own; the caller knows which object that stands for.
/// </remarks>
public abstract class VirtualObject
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;

    /// <param name="members">The member names; one instance is meant to be shared by every object of a shape.</param>
    protected VirtualObject(VirtualObjectMembers members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _names = members.Names;
        _utf8Names = members.Utf8Names;
    }

    /// <summary>How many members the object has.</summary>
    public int MemberCount => _names.Length;

    /// <summary>The name of member <paramref name="index"/>.</summary>
    public string GetMemberName(int index) => _names[index];

    /// <summary>The value of member <paramref name="index"/>; called only when a query reaches it.</summary>
    public abstract JsonElement GetMemberValue(int index);

    /// <summary>
    /// False only when the value of member <paramref name="index"/> certainly holds no object member called
    /// <paramref name="name"/>, at any depth. Descendant scans whose every match needs such a member then skip the
    /// value without asking for it. The default, true, is always correct.
    /// </summary>
    public virtual bool MayContainMemberName(int index, string name) => true;

    internal int IndexOf(ReadOnlySpan<byte> utf8Name)
    {
        for (int i = 0; i < _utf8Names.Length; i++)
        {
            if (utf8Name.SequenceEqual(_utf8Names[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The member names of a <see cref="VirtualObject"/> shape, encoded once and shared.</summary>
public sealed class VirtualObjectMembers
{
    /// <param name="names">The member names, in document order; distinct.</param>
    public VirtualObjectMembers(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("Member names must be distinct.", nameof(names));
        }

        Names = [.. names];
        Utf8Names = Array.ConvertAll(Names, Encoding.UTF8.GetBytes);
    }

    internal string[] Names { get; }

    internal byte[][] Utf8Names { get; }
}
