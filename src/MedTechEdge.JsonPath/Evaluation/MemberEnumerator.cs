using System.Text.Json;

namespace MedTechEdge.JsonPath.Evaluation;

/// <summary>
/// Enumerates an object's members in document order. For the extended root it hides every member named like
/// the extra member and yields the extra member last, which is what MedTech's <c>envelope["matchedToken"] = m</c>
/// produces on a fresh envelope copy.
/// </summary>
internal struct MemberEnumerator
{
    private JsonElement.ObjectEnumerator _inner;
    private readonly string? _extraName;
    private readonly JsonElement _extraValue;
    private int _state; // 0 = document members, 1 = extra member next, 2 = on the extra member (or done)

    public MemberEnumerator(in Node node, Evaluator evaluator)
    {
        _inner = node.Value.EnumerateObject();
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
        Value = default;
    }

    public JsonElement Value { get; private set; }

    public bool MoveNext()
    {
        if (_state == 0)
        {
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
        => _state == 2 ? string.Equals(_extraName, name, StringComparison.Ordinal) : _inner.Current.NameEquals(name);
}
