using System.Diagnostics;
using System.Text.Json;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// One case's timestamps (<see cref="Stopwatch"/> ticks, one clock for the publisher, the FHIR recorder and the NDJSON
/// tail): each message's scheduled send, its PUBACK and the first acceptance of its Observation; and the SampledData
/// readings waiting for a window write that holds them. Latency counts from the scheduled send, not the actual one, so
/// a publisher or broker that stalls cannot hide the wait (coordinated omission).
/// </summary>
internal sealed class LatencyLedger
{
    private readonly long[] _acked;
    private readonly long[] _accepted;
    private readonly Dictionary<string, Queue<Wave>> _waves = new(StringComparer.Ordinal);
    private readonly List<WaveLatency> _waveLatencies = [];
    private int _acceptedCount;
    private int _warmAccepted;
    private int _refused;

    public LatencyLedger(int count, double rate)
    {
        Count = count;
        Rate = rate;
        _acked = new long[count];
        _accepted = new long[count];
    }

    public int Count { get; }

    /// <summary>Messages per second, all devices together.</summary>
    public double Rate { get; }

    /// <summary>When message 0 is due; message <c>seq</c> is due <c>seq / Rate</c> seconds later.</summary>
    public long Start { get; set; }

    public int AcceptedCount => Volatile.Read(ref _acceptedCount);

    public int WarmAccepted => Volatile.Read(ref _warmAccepted);

    /// <summary>Publishes the module answered with a failure code.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public int PendingWaves
    {
        get
        {
            lock (_waves)
            {
                int pending = 0;
                foreach (Queue<Wave> queue in _waves.Values)
                {
                    pending += queue.Count;
                }

                return pending;
            }
        }
    }

    public long Scheduled(int seq) => Start + (long)Math.Round(seq * (double)Stopwatch.Frequency / Rate);

    public void Acked(int seq, long at, bool success)
    {
        _acked[seq] = at;
        if (!success)
        {
            Interlocked.Increment(ref _refused);
        }
    }

    /// <summary>A SampledData reading of <paramref name="deviceReference"/> at <paramref name="time"/>, before it is published.</summary>
    public void WaveSent(string deviceReference, DateTime time, int seq, int burst)
    {
        lock (_waves)
        {
            if (!_waves.TryGetValue(deviceReference, out Queue<Wave>? queue))
            {
                _waves[deviceReference] = queue = new Queue<Wave>();
            }

            queue.Enqueue(new Wave(time, seq, burst));
        }
    }

    /// <summary>
    /// An Observation the FHIR peer accepted or the NDJSON sink wrote at <paramref name="at"/>. A point-in-time one names
    /// its message by its start time; a SampledData window holds every reading of its device up to its end (each
    /// device's readings are mapped and merged in order).
    /// </summary>
    public void Observation(JsonElement observation, long at)
    {
        if (!observation.TryGetProperty("effectivePeriod", out JsonElement period))
        {
            return;
        }

        if (observation.TryGetProperty("valueSampledData", out _))
        {
            string? device = observation.GetProperty("device").GetProperty("reference").GetString();
            WindowAccepted(device ?? string.Empty, period.GetProperty("end").GetDateTime().ToUniversalTime(), at);
            return;
        }

        long seq = LatencyMessages.Sequence(period.GetProperty("start").GetDateTime().ToUniversalTime());
        if (seq < 0)
        {
            Interlocked.Increment(ref _warmAccepted);
        }
        else if (seq < Count && Interlocked.CompareExchange(ref _accepted[seq], at, 0) == 0)
        {
            Interlocked.Increment(ref _acceptedCount);
        }
    }

    /// <summary>Scheduled send to PUBACK, ms, of the messages whose scheduled send satisfies <paramref name="include"/> (all when null).</summary>
    public List<double> PubAckLatencies(Func<long, bool>? include = null) => Latencies(_acked, include);

    /// <summary>Scheduled send to the Observation's acceptance, ms.</summary>
    public List<double> AcceptedLatencies(Func<long, bool>? include = null) => Latencies(_accepted, include);

    /// <summary>Every SampledData reading that a window write has delivered, with its burst and latency.</summary>
    public IReadOnlyList<WaveLatency> WaveLatencies
    {
        get
        {
            lock (_waves)
            {
                return _waveLatencies.ToArray();
            }
        }
    }

    private void WindowAccepted(string deviceReference, DateTime end, long at)
    {
        lock (_waves)
        {
            if (!_waves.TryGetValue(deviceReference, out Queue<Wave>? queue))
            {
                return;
            }

            while (queue.Count > 0 && queue.Peek().Time <= end)
            {
                Wave wave = queue.Dequeue();
                _waveLatencies.Add(new WaveLatency(wave.Burst, Scheduled(wave.Seq), at));
            }
        }
    }

    private List<double> Latencies(long[] at, Func<long, bool>? include)
    {
        var output = new List<double>(Count);
        for (int seq = 0; seq < Count; seq++)
        {
            long scheduled = Scheduled(seq);
            if (at[seq] != 0 && (include is null || include(scheduled)))
            {
                output.Add(LatencyStats.Milliseconds(scheduled, at[seq]));
            }
        }

        return output;
    }

    private readonly record struct Wave(DateTime Time, int Seq, int Burst);

    /// <summary>A SampledData reading of burst <paramref name="Burst"/>, scheduled and delivered (Stopwatch ticks).</summary>
    public readonly record struct WaveLatency(int Burst, long Scheduled, long Accepted)
    {
        public double Milliseconds => LatencyStats.Milliseconds(Scheduled, Accepted);
    }
}
