namespace MedTechEdge.JmesPath.Values;

/// <summary>
/// An object built during evaluation (multiselect hash, <c>merge</c>). Members keep insertion order; setting an
/// existing name replaces the value in place, which is how <c>merge</c> lets later objects win.
/// </summary>
/// <remarks>Lookups are linear: computed objects are small (a multiselect hash has as many members as the expression names).</remarks>
internal sealed class ObjectValue
{
    private readonly List<KeyValuePair<string, JmesPathValue>> _members;

    public ObjectValue(int capacity = 4)
    {
        _members = new List<KeyValuePair<string, JmesPathValue>>(capacity);
    }

    public int Count => _members.Count;

    public KeyValuePair<string, JmesPathValue> this[int index] => _members[index];

    public void Set(string name, JmesPathValue value)
    {
        for (int i = 0; i < _members.Count; i++)
        {
            if (string.Equals(_members[i].Key, name, StringComparison.Ordinal))
            {
                _members[i] = new KeyValuePair<string, JmesPathValue>(name, value);
                return;
            }
        }

        _members.Add(new KeyValuePair<string, JmesPathValue>(name, value));
    }

    public bool TryGet(string name, out JmesPathValue value)
    {
        for (int i = 0; i < _members.Count; i++)
        {
            if (string.Equals(_members[i].Key, name, StringComparison.Ordinal))
            {
                value = _members[i].Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
