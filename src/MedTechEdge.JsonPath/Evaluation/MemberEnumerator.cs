using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// Enumerates an object's members in document order. For the extended root it hides every member named like
/// the extra member and yields the extra member last, which is what MedTech's <c>envelope["matchedToken"] = m</c>
/// produces on a fresh envelope copy. For a virtual root it walks the <see cref="VirtualObject"/>'s members.
/// </summary>
internal struct MemberEnumerator
{
    private JsonElement.ObjectEnumerator _inner;
    private readonly VirtualObject? _virtual;
    private readonly string? _extraName;
    private readonly JsonElement _extraValue;
    private int _state; // 0 = document members, 1 = extra member next, 2 = on the extra member (or done)
    private int _index;

    public MemberEnumerator(in Node node, Evaluator evaluator)
    {
        if (node.IsVirtual)
        {
            _virtual = evaluator.Virtual;
            _inner = default;
        }
        else
        {
            _virtual = null;
            _inner = node.Value.EnumerateObject();
        }

        if (node.IsExtendedRoot)
        {
            _extraName = evaluator.ExtraMemberName;
            _extraValue = evaluator.ExtraMemberValue;
        }
        else
        {
            _extraName = null;
            _extraValue = default;
        }

        _state = 0;
        _index = -1;
        Value = default;
    }

    public JsonElement Value { get; private set; }

    /// <summary>True when the current member belongs to the virtual root (not the extra member).</summary>
    public readonly bool IsVirtualMember => _virtual is not null && _state == 0;

    /// <summary>
    /// Like <see cref="MoveNext"/>, but a virtual root's member value is not read until <see cref="LoadValue"/>, so
    /// a scan can pass over a member it has no reason to enter without parsing it.
    /// </summary>
    public bool MoveNextLazy()
    {
        if (_virtual is null || _state != 0)
        {
            return MoveNext();
        }

        while (++_index < _virtual.MemberCount)
        {
            if (_extraName is null || !string.Equals(_virtual.GetMemberName(_index), _extraName, StringComparison.Ordinal))
            {
                Value = default;
                return true;
            }
        }

        _state = 1;
        return MoveNext();
    }

    /// <summary>Reads the value of the member <see cref="MoveNextLazy"/> stopped on.</summary>
    public void LoadValue()
    {
        if (IsVirtualMember)
        {
            Value = _virtual!.GetMemberValue(_index);
        }
    }

    /// <summary>
    /// False when the current member is a virtual root's member whose value cannot hold a member called any of
    /// <paramref name="names"/> (see <see cref="VirtualObject.MayContainMemberName"/>); true otherwise.
    /// </summary>
    public readonly bool MayContainAny(string[] names)
    {
        if (!IsVirtualMember)
        {
            return true;
        }

        foreach (string name in names)
        {
            if (_virtual!.MayContainMemberName(_index, name))
            {
                return true;
            }
        }

        return false;
    }

    public bool MoveNext()
    {
        if (_state == 0)
        {
            if (_virtual is not null)
            {
                // MoveNextLazy walks the virtual members and moves on to the extra member when they are done.
                bool moved = MoveNextLazy();
                LoadValue();
                return moved;
            }

            while (_inner.MoveNext())
            {
                JsonProperty p = _inner.Current;
                if (_extraName is not null && p.NameEquals(_extraName))
                {
                    continue;
                }

                Value = p.Value;
                return true;
            }

            _state = 1;
        }

        if (_state == 1)
        {
            _state = 2;
            if (_extraName is not null)
            {
                Value = _extraValue;
                return true;
            }
        }

        return false;
    }

    /// <summary>Ordinal comparison of the current member's name with <paramref name="name"/>, without allocating.</summary>
    public readonly bool NameEquals(string name)
    {
        if (_state == 2)
        {
            return string.Equals(_extraName, name, StringComparison.Ordinal);
        }

        return _virtual is not null
            ? string.Equals(_virtual.GetMemberName(_index), name, StringComparison.Ordinal)
            : _inner.Current.NameEquals(name);
    }

    /// <summary>The same comparison against the name's UTF-8 bytes, which spares a transcoding per member.</summary>
    public readonly bool NameEquals(string name, ReadOnlySpan<byte> utf8Name)
        => _state != 2 && _virtual is null ? _inner.Current.NameEquals(utf8Name) : NameEquals(name);
}
