using System.Text.Json;

namespace MedTechEdge.Storage;

/// <summary>
/// Which device ids an authenticated sender may speak for: its own identity (a credential's user name, a client
/// certificate's name, or the device id IoT Hub authenticated), and any ids or patterns its credential lists, such as a
/// bedside hub that bridges several monitors. Stamped on a message by the ingress when it is received, so the check in
/// Map uses the rights the sender had when its message was acknowledged. A message without one (an anonymous
/// connection, or binding turned off) is unbound.
/// </summary>
public sealed class DeviceBinding
{
    private readonly string[] _allowed;

    /// <summary>Creates a binding.</summary>
    /// <param name="identity">The authenticated identity; always allowed.</param>
    /// <param name="allowed">More device ids it may speak for: exact ids, or patterns where <c>*</c> stands for any run of characters.</param>
    public DeviceBinding(string identity, IReadOnlyList<string>? allowed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        Identity = identity;
        _allowed = allowed is null || allowed.Count == 0 ? [] : [.. allowed];
    }

    /// <summary>The authenticated identity.</summary>
    public string Identity { get; }

    /// <summary>The further ids and patterns, as configured.</summary>
    public IReadOnlyList<string> Allowed => _allowed;

    /// <summary>True when <paramref name="deviceId"/> is the identity or matches one of the allowed ids or patterns (ordinal, case-sensitive).</summary>
    public bool Allows(string deviceId)
    {
        if (string.Equals(deviceId, Identity, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (string pattern in _allowed)
        {
            if (Matches(pattern, deviceId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The stored form: a JSON array, the identity first. Made once per binding (an ingress reuses one per connection).</summary>
    public string Encode() => _encoded ??= EncodeOnce();

    private string? _encoded;

    private string EncodeOnce()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(Identity);
            foreach (string pattern in _allowed)
            {
                writer.WriteStringValue(pattern);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads the stored form written by <see cref="Encode"/>; null for null.</summary>
    /// <exception cref="FormatException">Not a non-empty JSON array of strings.</exception>
    public static DeviceBinding? Decode(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        // Every row of a device carries the same text: it is parsed once (Map reads a bound row per message).
        if (s_decoded.TryGetValue(stored, out DeviceBinding? known))
        {
            return known;
        }

        DeviceBinding binding = Parse(stored);
        if (s_decoded.Count >= MaxDecoded)
        {
            s_decoded.Clear();
        }

        s_decoded[stored] = binding;
        return binding;
    }

    // More than the senders one gateway serves; the cap only bounds what a stream of new identities could hold.
    private const int MaxDecoded = 10_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DeviceBinding> s_decoded = new(StringComparer.Ordinal);

    private static DeviceBinding Parse(string stored)
    {
        string[]? items;
        try
        {
            items = JsonSerializer.Deserialize(stored, DeviceBindingJsonContext.Default.StringArray);
        }
        catch (JsonException ex)
        {
            throw new FormatException("A stored device binding is not a JSON array of strings.", ex);
        }

        if (items is null || items.Length == 0 || string.IsNullOrEmpty(items[0]))
        {
            throw new FormatException("A stored device binding has no identity.");
        }

        return new DeviceBinding(items[0], items.AsSpan(1).ToArray()) { _encoded = stored };
    }

    /// <summary>Glob match where <c>*</c> is any run (also empty); everything else matches itself.</summary>
    internal static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        // Iterative glob with one backtrack point: linear in practice, never exponential.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class DeviceBindingJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
