using System.Diagnostics;
using System.Text.Json;
using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath;

/// <summary>Array and object access, uniform over the element, computed and overlay representations.</summary>
public readonly partial struct JmesPathValue
{
    /// <summary>The number of items of an array; throws when the value is not an array.</summary>
    /// <returns>The item count.</returns>
    public int GetArrayLength()
    {
        EnsureKind(JmesPathValueKind.Array);
        return _representation == Representation.Element ? _element.GetArrayLength() : ((List<JmesPathValue>)_payload!).Count;
    }

    /// <summary>Enumerates the items of an array; throws when the value is not an array.</summary>
    /// <returns>A struct enumerator.</returns>
    public ArrayEnumerator EnumerateArray()
    {
        EnsureKind(JmesPathValueKind.Array);
        return _representation == Representation.Element
            ? new ArrayEnumerator(_element.EnumerateArray())
            : new ArrayEnumerator((List<JmesPathValue>)_payload!);
    }

    /// <summary>Looks up an object member by exact (ordinal) name.</summary>
    /// <param name="name">The member name.</param>
    /// <param name="value">The member's value, or null.</param>
    /// <returns>True when the value is an object that has the member.</returns>
    public bool TryGetProperty(string name, out JmesPathValue value)
    {
        if (_kind != JmesPathValueKind.Object)
        {
            value = default;
            return false;
        }

        switch (_payload)
        {
            case null:
                if (_element.TryGetProperty(name, out JsonElement element))
                {
                    value = FromJsonElement(element);
                    return true;
                }

                value = default;
                return false;
            case ObjectValue computed:
                return computed.TryGet(name, out value);
            default:
                return ((OverlayObject)_payload).TryGet(name, out value);
        }
    }

    /// <summary>Enumerates the members of an object; throws when the value is not an object.</summary>
    /// <returns>A struct enumerator of name/value pairs.</returns>
    public ObjectEnumerator EnumerateObject()
    {
        EnsureKind(JmesPathValueKind.Object);
        return _payload switch
        {
            null => new ObjectEnumerator(_element.EnumerateObject(), null),
            ObjectValue computed => new ObjectEnumerator(computed),
            _ => new ObjectEnumerator(((OverlayObject)_payload).Root.EnumerateObject(), (OverlayObject)_payload),
        };
    }

    /// <summary>Member lookup with the name also given in UTF-8, which a document element compares directly.</summary>
    internal bool TryGetProperty(string name, ReadOnlySpan<byte> utf8Name, out JmesPathValue value)
    {
        if (_representation == Representation.Element && _kind == JmesPathValueKind.Object)
        {
            if (_element.TryGetProperty(utf8Name, out JsonElement element))
            {
                value = FromJsonElement(element);
                return true;
            }

            value = default;
            return false;
        }

        return TryGetProperty(name, out value);
    }

    /// <summary>The item at <paramref name="index"/> (0-based, already range-checked by the caller).</summary>
    internal JmesPathValue GetArrayItem(int index)
    {
        Debug.Assert(_kind == JmesPathValueKind.Array && (uint)index < (uint)GetArrayLength());
        return _representation == Representation.Element
            ? FromJsonElement(_element[index])
            : ((List<JmesPathValue>)_payload!)[index];
    }

    internal int GetPropertyCount()
    {
        Debug.Assert(_kind == JmesPathValueKind.Object);
        return _payload switch
        {
            null => CountMembers(_element),
            ObjectValue computed => computed.Count,
            _ => ((OverlayObject)_payload).Count,
        };
    }

    private static int CountMembers(JsonElement element)
    {
        int count = 0;
        foreach (JsonProperty _ in element.EnumerateObject())
        {
            count++;
        }

        return count;
    }
}
