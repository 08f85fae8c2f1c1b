using System.Net;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Per source address: after <c>failuresBeforeBackoff</c> refused passwords within a window, the address's CONNECTs
/// are refused without a password check for a backoff period. While its failures continue (within a window of the
/// backoff's end) one more failure backs it off again, for twice as long each time up to a maximum. Loopback is an
/// address like any other. Windows run on a <see cref="TimeProvider"/>, so tests move time instead of sleeping.
/// </summary>
/// <remarks>
/// Checks in progress count against the budget: a flood arrives in parallel, and forty CONNECTs that all pass the
/// "not backed off yet" test before the first of them fails would otherwise cost forty PBKDF2 runs, not the five the
/// threshold allows. A success does not clear an address's count: an attacker holding one valid credential could
/// otherwise interleave it with guesses. The table is bounded; when it is full of live entries a new address is not
/// tracked (it is still bound by the verification queue), rather than evicting an address that is backed off.
/// </remarks>
internal sealed class MqttAuthenticationBackoff(int failuresBeforeBackoff, TimeSpan window, TimeSpan firstBackoff, TimeSpan maxBackoff, TimeProvider time)
{
    internal const int MaxTrackedAddresses = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Entry> _addresses = [];

    /// <summary>True while <paramref name="address"/> is backed off; its CONNECTs are then refused without PBKDF2.</summary>
    public bool IsBackedOff(IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            return _addresses.TryGetValue(Normalize(address), out Entry? entry) && entry.BlockedUntil > now;
        }
    }

    /// <summary>
    /// Reserves a password check for <paramref name="address"/>: false while it is backed off or while the checks in
    /// progress could already reach its failure budget. Every true must be followed by <see cref="EndCheck"/>.
    /// <paramref name="suspect"/> says the address has failed within the window or was backed off lately.
    /// </summary>
    public bool TryBeginCheck(IPAddress address, out bool suspect)
    {
        suspect = false;
        DateTimeOffset now = time.GetUtcNow();
        address = Normalize(address);
        lock (_lock)
        {
            if (!_addresses.TryGetValue(address, out Entry? entry))
            {
                if (_addresses.Count >= MaxTrackedAddresses && !PruneLocked(now))
                {
                    return true;
                }

                _addresses[address] = entry = new Entry { WindowStart = now };
            }

            RollWindow(entry, now);
            suspect = entry.Failures > 0 || entry.NextBackoff != TimeSpan.Zero;
            if (entry.BlockedUntil > now || entry.Pending + entry.Failures >= Threshold(entry))
            {
                return false;
            }

            entry.Pending++;
            return true;
        }
    }

    /// <summary>Ends a check begun by <see cref="TryBeginCheck"/>; returns true when its failure starts a backoff.</summary>
    public bool EndCheck(IPAddress address, bool failed)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_addresses.TryGetValue(Normalize(address), out Entry? entry))
            {
                // Untracked (the table was full when the check began).
                return false;
            }

            entry.Pending = Math.Max(0, entry.Pending - 1);
            if (!failed)
            {
                return false;
            }

            RollWindow(entry, now);
            entry.Failures++;
            if (entry.Failures < Threshold(entry))
            {
                return false;
            }

            TimeSpan backoff = entry.NextBackoff == TimeSpan.Zero ? firstBackoff : entry.NextBackoff;
            entry.BlockedUntil = now + backoff;
            entry.NextBackoff = backoff * 2 > maxBackoff ? maxBackoff : backoff * 2;
            entry.WindowStart = entry.BlockedUntil;
            entry.Failures = 0;
            return true;
        }
    }

    // After a backoff, while failures continue, one more failure is enough.
    private int Threshold(Entry entry) => entry.NextBackoff == TimeSpan.Zero ? failuresBeforeBackoff : 1;

    private void RollWindow(Entry entry, DateTimeOffset now)
    {
        if (now - entry.WindowStart < window)
        {
            return;
        }

        // A quiet window ends the count. The backoff length is kept only while failures continue: an address that
        // trips again within a window of its last backoff's end gets a longer one.
        bool continued = now - entry.BlockedUntil < window;
        entry.WindowStart = now;
        entry.Failures = 0;
        if (!continued)
        {
            entry.NextBackoff = TimeSpan.Zero;
        }
    }

    /// <summary>Drops idle entries whose window and backoff are both over; true when room was made.</summary>
    private bool PruneLocked(DateTimeOffset now)
    {
        List<IPAddress>? stale = null;
        foreach (KeyValuePair<IPAddress, Entry> pair in _addresses)
        {
            if (pair.Value.Pending == 0 && pair.Value.BlockedUntil <= now - window && now - pair.Value.WindowStart >= window)
            {
                (stale ??= []).Add(pair.Key);
            }
        }

        if (stale is null)
        {
            return false;
        }

        foreach (IPAddress address in stale)
        {
            _addresses.Remove(address);
        }

        return true;
    }

    // ::ffff:10.0.0.7 and 10.0.0.7 are one client on a dual-stack listener.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Failures { get; set; }

        public int Pending { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public TimeSpan NextBackoff { get; set; }
    }
}
