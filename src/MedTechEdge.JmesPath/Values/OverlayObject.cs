using System.Diagnostics;
using System.Text.Json;

namespace MedTechEdge.JmesPath.Values;

/// <summary>
/// The document root seen with one extra top-level member, without copying the document. MedTech evaluates every
/// expression of a matched token against <c>{Body, Properties, SystemProperties, matchedToken}</c>
/// (medtech-semantics §2.3, evaluation step 2); this is that copy, made of a reference and a value.
/// </summary>
/// <remarks>
/// If the root already has a member named <see cref="Name"/>, the extra value replaces it at the same position,
/// as setting a property on a Json.NET <c>JObject</c> does. Otherwise the extra member comes last.
/// </remarks>
internal sealed class OverlayObject
{
    public OverlayObject(JsonElement root, string name, JmesPathValue value)
    {
        Debug.Assert(root.ValueKind == JsonValueKind.Object);
        Root = root;
        Name = name;
        Value = value;
        HasShadowedMember = root.TryGetProperty(name, out _);
    }

    public JsonElement Root { get; }

    public string Name { get; }

    public JmesPathValue Value { get; }

    /// <summary>True when <see cref="Root"/> has its own member named <see cref="Name"/>, which the overlay replaces.</summary>
    public bool HasShadowedMember { get; }

    public int Count
    {
        get
        {
            int count = 0;
            foreach (JsonProperty _ in Root.EnumerateObject())
            {
                count++;
            }

            return HasShadowedMember ? count : count + 1;
        }
    }

    public bool TryGet(string name, out JmesPathValue value)
    {
        if (string.Equals(name, Name, StringComparison.Ordinal))
        {
            value = Value;
            return true;
        }

        if (Root.TryGetProperty(name, out JsonElement element))
        {
            value = JmesPathValue.FromJsonElement(element);
            return true;
        }

        value = default;
        return false;
    }
}
