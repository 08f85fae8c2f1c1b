using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Refused CONNECTs as at most one Warning per source (<see cref="MqttSourceAddress"/>) per interval, with a count,
/// instead of one line per attempt (a flood wrote 1,475 lines before, issue 12). The first refusal of a quiet source is
/// logged at once, so a single misconfigured device shows up immediately; later ones are counted and written by
/// <see cref="Flush"/>, which the server's timer calls each interval. User names and client ids are not in the
/// Warning (a flood's are guesses, not users). The server keeps one log for authentication failures and one for
/// client ids refused because they belong to another identity, each with its own <paramref name="writeLine"/>.
/// </summary>
internal sealed class MqttAuthenticationFailureLog(ILogger logger, TimeSpan interval, TimeProvider time, MqttAuthenticationFailureLog.LineWriter writeLine)
{
    /// <summary>Writes one aggregated line: <paramref name="count"/> refusals from <paramref name="source"/> since the last line.</summary>
    internal delegate void LineWriter(ILogger logger, string source, long count, double intervalSeconds, MqttConnectReasonCode lastReason);

    /// <summary>A log of authentication failures (<see cref="MqttServerLog.ConnectsRefused"/>).</summary>
    public MqttAuthenticationFailureLog(ILogger logger, TimeSpan interval, TimeProvider time)
        : this(logger, interval, time, MqttServerLog.ConnectsRefused)
    {
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Entry> _addresses = [];

    /// <summary>Counts a refusal; writes the Warning now when the address's source has had none for an interval.</summary>
    public void Record(IPAddress address, MqttConnectReasonCode reasonCode)
    {
        DateTimeOffset now = time.GetUtcNow();
        address = MqttSourceAddress.Key(address);
        lock (_lock)
        {
            if (!_addresses.TryGetValue(address, out Entry? entry))
            {
                if (_addresses.Count >= MqttAuthenticationBackoff.MaxTrackedAddresses)
                {
                    // Bounded like the backoff table: an address beyond the bound is counted by the statistics only.
                    return;
                }

                _addresses[address] = entry = new Entry { LastWritten = DateTimeOffset.MinValue };
            }

            entry.Pending++;
            entry.LastReason = reasonCode;
            if (now - entry.LastWritten >= interval)
            {
                WriteLocked(address, entry, now);
            }
        }
    }

    /// <summary>Writes the counts of addresses whose interval is over and forgets addresses quiet for an interval.</summary>
    public void Flush()
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            List<IPAddress>? quiet = null;
            foreach (KeyValuePair<IPAddress, Entry> pair in _addresses)
            {
                if (now - pair.Value.LastWritten < interval)
                {
                    continue;
                }

                if (pair.Value.Pending > 0)
                {
                    WriteLocked(pair.Key, pair.Value, now);
                }
                else
                {
                    (quiet ??= []).Add(pair.Key);
                }
            }

            if (quiet is not null)
            {
                foreach (IPAddress address in quiet)
                {
                    _addresses.Remove(address);
                }
            }
        }
    }

    private void WriteLocked(IPAddress address, Entry entry, DateTimeOffset now)
    {
        writeLine(logger, MqttSourceAddress.Describe(address), entry.Pending, interval.TotalSeconds, entry.LastReason);
        entry.Pending = 0;
        entry.LastWritten = now;
    }

    private sealed class Entry
    {
        public long Pending { get; set; }

        public MqttConnectReasonCode LastReason { get; set; }

        public DateTimeOffset LastWritten { get; set; }
    }
}
