using System.Collections;
using System.Text.Json;
using MedTechEdge.JmesPath.Values;

namespace MedTechEdge.JmesPath;

/// <summary>Struct enumerators, so <c>foreach</c> over values allocates nothing.</summary>
public readonly partial struct JmesPathValue
{
    /// <summary>Enumerates array items. Use it with <c>foreach</c>; it is its own enumerable.</summary>
    public struct ArrayEnumerator : IEnumerable<JmesPathValue>, IEnumerator<JmesPathValue>
    {
        private readonly List<JmesPathValue>? _items;
        private JsonElement.ArrayEnumerator _elements;
        private int _index;

        internal ArrayEnumerator(JsonElement.ArrayEnumerator elements)
        {
            _items = null;
            _elements = elements;
            _index = -1;
        }

        internal ArrayEnumerator(List<JmesPathValue> items)
        {
            _items = items;
            _elements = default;
            _index = -1;
        }

        /// <inheritdoc/>
        public readonly JmesPathValue Current => _items is null ? FromJsonElement(_elements.Current) : _items[_index];

        readonly object IEnumerator.Current => Current;

        /// <summary>Returns this enumerator, so it can be used in <c>foreach</c>.</summary>
        /// <returns>This enumerator.</returns>
        public readonly ArrayEnumerator GetEnumerator() => this;

        /// <inheritdoc/>
        public bool MoveNext()
        {
            if (_items is null)
            {
                return _elements.MoveNext();
            }

            _index++;
            return _index < _items.Count;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            if (_items is null)
            {
                _elements.Reset();
            }

            _index = -1;
        }

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }

        readonly IEnumerator<JmesPathValue> IEnumerable<JmesPathValue>.GetEnumerator() => this;

        readonly IEnumerator IEnumerable.GetEnumerator() => this;
    }

    /// <summary>Enumerates object members as name/value pairs. Use it with <c>foreach</c>; it is its own enumerable.</summary>
    public struct ObjectEnumerator : IEnumerable<KeyValuePair<string, JmesPathValue>>, IEnumerator<KeyValuePair<string, JmesPathValue>>
    {
        private readonly ObjectValue? _computed;
        private readonly OverlayObject? _overlay;
        private JsonElement.ObjectEnumerator _elements;
        private int _index;
        private bool _elementsDone;
        private KeyValuePair<string, JmesPathValue> _current;

        internal ObjectEnumerator(JsonElement.ObjectEnumerator elements, OverlayObject? overlay)
        {
            _computed = null;
            _overlay = overlay;
            _elements = elements;
            _index = -1;
            _elementsDone = false;
            _current = default;
        }

        internal ObjectEnumerator(ObjectValue computed)
        {
            _computed = computed;
            _overlay = null;
            _elements = default;
            _index = -1;
            _elementsDone = true;
            _current = default;
        }

        /// <inheritdoc/>
        public readonly KeyValuePair<string, JmesPathValue> Current => _current;

        readonly object IEnumerator.Current => _current;

        /// <summary>Returns this enumerator, so it can be used in <c>foreach</c>.</summary>
        /// <returns>This enumerator.</returns>
        public readonly ObjectEnumerator GetEnumerator() => this;

        /// <inheritdoc/>
        public bool MoveNext()
        {
            if (_computed is not null)
            {
                _index++;
                if (_index < _computed.Count)
                {
                    _current = _computed[_index];
                    return true;
                }

                return false;
            }

            if (!_elementsDone)
            {
                if (_elements.MoveNext())
                {
                    JsonProperty property = _elements.Current;
                    if (_overlay is not null && property.NameEquals(_overlay.Name))
                    {
                        // The overlay member replaces the document's own member in place.
                        _current = new KeyValuePair<string, JmesPathValue>(_overlay.Name, _overlay.Value);
                        return true;
                    }

                    _current = new KeyValuePair<string, JmesPathValue>(property.Name, FromJsonElement(property.Value));
                    return true;
                }

                _elementsDone = true;
                if (_overlay is not null && !_overlay.HasShadowedMember)
                {
                    _current = new KeyValuePair<string, JmesPathValue>(_overlay.Name, _overlay.Value);
                    return true;
                }
            }

            return false;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            _index = -1;
            if (_computed is null)
            {
                _elements.Reset();
                _elementsDone = false;
            }

            _current = default;
        }

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }

        readonly IEnumerator<KeyValuePair<string, JmesPathValue>> IEnumerable<KeyValuePair<string, JmesPathValue>>.GetEnumerator() => this;

        readonly IEnumerator IEnumerable.GetEnumerator() => this;
    }
}
