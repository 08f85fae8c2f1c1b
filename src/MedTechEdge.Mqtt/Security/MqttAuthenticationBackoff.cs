using System.Net;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Per source (an IPv4 address or an IPv6 /64, <see cref="MqttSourceAddress"/>): after <c>failuresBeforeBackoff</c>
/// refused passwords within a window, the source's CONNECTs are refused without a password check for a backoff
/// period. While its failures continue (within a window of the backoff's end) one more failure backs it off again,
/// for twice as long each time up to a maximum. Loopback is an address like any other. Windows run on a
/// <see cref="TimeProvider"/>, so tests move time instead of sleeping.
/// </summary>
/// <remarks>
/// Checks in progress count against the budget: a flood arrives in parallel, and forty CONNECTs that all pass the
/// "not backed off yet" test before the first of them fails would otherwise cost forty PBKDF2 runs, not the five the
/// threshold allows. A success does not clear an address's count: an attacker holding one valid credential could
/// otherwise interleave it with guesses. The table is bounded; when it is full of live entries a new source is not
/// tracked but counted, with every other untracked source, in one shared overflow entry that has the budget of a
/// single source and is always suspect (the low-priority lane). Evicting a backed-off source instead would free it,
/// and leaving the newcomers unlimited would free any flood from more than 4,096 sources. A full table means such a
/// flood is under way; a device whose password is cached is not affected, one that has never connected may then be
/// answered 0x89 Server busy until the flood ends.
/// </remarks>
internal sealed class MqttAuthenticationBackoff(int failuresBeforeBackoff, TimeSpan window, TimeSpan firstBackoff, TimeSpan maxBackoff, TimeProvider time)
{
    internal const int MaxTrackedAddresses = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Entry> _addresses = [];

    // Every source that found the table full, as one.
    private readonly Entry _overflow = new() { WindowStart = time.GetUtcNow() };

    /// <summary>True while <paramref name="address"/>'s source is backed off; its CONNECTs are then refused without PBKDF2.</summary>
    public bool IsBackedOff(IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            return _addresses.TryGetValue(MqttSourceAddress.Key(address), out Entry? entry) && entry.BlockedUntil > now;
        }
    }

    /// <summary>
    /// Reserves a password check for <paramref name="address"/>'s source: false while it is backed off or while the
    /// checks in progress could already reach its failure budget. Every true must be followed by
    /// <see cref="EndCheck"/> with the <paramref name="check"/> it gave.
    /// </summary>
    public bool TryBeginCheck(IPAddress address, out Check check)
    {
        DateTimeOffset now = time.GetUtcNow();
        IPAddress key = MqttSourceAddress.Key(address);
        lock (_lock)
        {
            bool overflow = false;
            if (!_addresses.TryGetValue(key, out Entry? entry))
            {
                if (_addresses.Count >= MaxTrackedAddresses && !PruneLocked(now))
                {
                    overflow = true;
                    entry = _overflow;
                }
                else
                {
                    _addresses[key] = entry = new Entry { WindowStart = now };
                }
            }

            RollWindow(entry, now);

            // Failed within the window, or backed off lately; an untracked source has no history to clear it. A check
            // already in flight makes the next one suspect too: a device sends one CONNECT and waits, a flood sends
            // them in parallel, and a fresh address would otherwise put its whole budget in the normal lane at once.
            bool suspect = overflow || entry.Failures > 0 || entry.NextBackoff != TimeSpan.Zero || entry.Pending > 0;
            check = new Check(key, overflow, suspect);
            if (entry.BlockedUntil > now || entry.Pending + entry.Failures >= Threshold(entry))
            {
                return false;
            }

            entry.Pending++;
            return true;
        }
    }

    /// <summary>Ends a check begun by <see cref="TryBeginCheck"/>; returns true when its failure starts a backoff.</summary>
    public bool EndCheck(Check check, bool failed)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            // A tracked entry with a check pending is never pruned, so the lookup finds the entry the check began on.
            Entry entry = check.Overflow ? _overflow : _addresses[check.Source];
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

    /// <summary>A reserved check: the source it counts against (or the shared overflow entry) and whether it is suspect.</summary>
    /// <param name="Suspect">The source failed within the window, was backed off lately, or is untracked: its check goes to the low-priority lane.</param>
    internal readonly record struct Check(IPAddress Source, bool Overflow, bool Suspect);

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Failures { get; set; }

        public int Pending { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public TimeSpan NextBackoff { get; set; }
    }
}
