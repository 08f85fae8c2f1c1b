using System.Security.Cryptography;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Recent successful password checks, so a device that reconnects (or reconnects often) costs one HMAC instead of a
/// PBKDF2 run, also while its address is backed off for someone else's failures. An entry holds the user name, an
/// HMAC-SHA256 of the password under a key made at start and never stored, and the stored hash it was checked
/// against: a different password, or a credentials file with a new hash for the user, misses. The plain password is
/// never kept, and a memory dump yields only keyed digests, useless without the per-process key. Bounded: when full,
/// expired entries go first, then the one that expires soonest.
/// </summary>
internal sealed class MqttAuthenticationCache(int capacity, TimeSpan lifetime, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True when <paramref name="username"/> verified with this very password against this very stored hash within the lifetime.</summary>
    public bool Contains(string username, ReadOnlySpan<byte> password, MqttPasswordHashValue stored)
    {
        if (capacity == 0)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, password, digest);
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            return _entries.TryGetValue(username, out Entry? entry)
                && entry.ExpiresAt > now
                && CryptographicOperations.FixedTimeEquals(entry.PasswordDigest, digest)
                && IsSameHash(entry.Stored, stored);
        }
    }

    /// <summary>Remembers a successful check.</summary>
    public void Add(string username, ReadOnlySpan<byte> password, MqttPasswordHashValue stored)
    {
        if (capacity == 0)
        {
            return;
        }

        byte[] digest = HMACSHA256.HashData(_key, password);
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Count >= capacity && !_entries.ContainsKey(username))
            {
                EvictLocked(now);
            }

            _entries[username] = new Entry(digest, stored, now + lifetime);
        }
    }

    private void EvictLocked(DateTimeOffset now)
    {
        string? soonest = null;
        DateTimeOffset soonestExpiry = DateTimeOffset.MaxValue;
        List<string>? expired = null;
        foreach (KeyValuePair<string, Entry> pair in _entries)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                (expired ??= []).Add(pair.Key);
            }
            else if (pair.Value.ExpiresAt < soonestExpiry)
            {
                soonest = pair.Key;
                soonestExpiry = pair.Value.ExpiresAt;
            }
        }

        if (expired is not null)
        {
            foreach (string username in expired)
            {
                _entries.Remove(username);
            }
        }
        else if (soonest is not null)
        {
            _entries.Remove(soonest);
        }
    }

    // By content, not by reference: a reloaded file with the same line is the same credential; a changed line is not.
    private static bool IsSameHash(MqttPasswordHashValue a, MqttPasswordHashValue b) =>
        a.Iterations == b.Iterations && a.Salt.AsSpan().SequenceEqual(b.Salt) && a.Hash.AsSpan().SequenceEqual(b.Hash);

    private sealed record Entry(byte[] PasswordDigest, MqttPasswordHashValue Stored, DateTimeOffset ExpiresAt);
}
