using System.Diagnostics;
using System.Globalization;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// Once a second, a broker process's resident set (VmRSS from /proc, what the kernel charges the container for) and
/// CPU time, and for the module its managed heap and counters from /metrics, so a case can report its steady state
/// over a window: the median and the maximum.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ: /proc/PID/stat counts CPU in clock ticks of 1/100 s on Linux.

    private readonly int _pid;
    private readonly ModuleProcess? _module;
    private readonly HttpClient _http;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public MemorySampler(int pid, ModuleProcess? module, HttpClient http)
    {
        _pid = pid;
        _module = module;
        _http = http;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>One reading; <see cref="GcHeapBytes"/> and the counters are 0 for a process without /metrics.</summary>
    public sealed record Sample(TimeSpan At, long RssBytes, long AnonBytes, TimeSpan Cpu, long GcHeapBytes, long Committed, long Written, long Backlog)
    {
        /// <summary>RssShmem: for the module, the JIT's and the stubs' double-mapped memory (<c>/memfd:doublemapper</c>, W^X).</summary>
        public long ShmemBytes { get; init; }

        /// <summary>The process's threads (/proc/PID/task).</summary>
        public int Threads { get; init; }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The samples taken from <paramref name="from"/> on.</summary>
    public List<Sample> Since(TimeSpan from)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.At >= from).ToList();
        }
    }

    public static double Median(IEnumerable<long> values)
    {
        long[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            Sample? sample = await TakeAsync();
            if (sample is null)
            {
                return;
            }

            lock (_samples)
            {
                _samples.Add(sample);
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<Sample?> TakeAsync()
    {
        TimeSpan at = _clock.Elapsed;
        long rss;
        long anon;
        long shmem;
        int threads;
        TimeSpan cpu;
        try
        {
            (rss, anon, shmem) = ReadRss(_pid);
            cpu = ReadCpu(_pid);
            threads = Directory.GetDirectories($"/proc/{_pid.ToString(CultureInfo.InvariantCulture)}/task").Length;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return null; // The process ended.
        }

        if (_module is null || _module.HasExited)
        {
            return new Sample(at, rss, anon, cpu, 0, 0, 0, 0) { ShmemBytes = shmem, Threads = threads };
        }

        try
        {
            ModuleScrape scrape = await _module.ScrapeAsync(_http);
            return new Sample(at, rss, anon, cpu, scrape.Sum("medtechedge_gc_heap_bytes", null), scrape.Sum("medtechedge_ingest_committed_total", null),
                scrape.Sum("medtechedge_resources_saved_total", null), scrape.Sum("medtechedge_backlog_rows", null)) { ShmemBytes = shmem, Threads = threads };
        }
        catch (HttpRequestException)
        {
            return new Sample(at, rss, anon, cpu, 0, 0, 0, 0) { ShmemBytes = shmem, Threads = threads };
        }
    }

    /// <summary>
    /// VmRSS of /proc/PID/status, its anonymous part (RssAnon: the heaps, stacks, SQLite's cache) and its shared memory
    /// (RssShmem: the module's double-mapped code and stubs), in bytes. The rest is file-backed (the mapped assemblies'
    /// code, clean pages the kernel may drop).
    /// </summary>
    public static (long Rss, long Anon, long Shmem) ReadRss(int pid)
    {
        long rss = -1;
        long anon = -1;
        long shmem = 0;
        foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line.AsSpan(6));
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line.AsSpan(8));
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shmem = Kilobytes(line.AsSpan(9));
            }
        }

        return rss >= 0 && anon >= 0 ? (rss, anon, shmem) : throw new IOException("No VmRSS for process " + pid.ToString(CultureInfo.InvariantCulture));
    }

    private static long Kilobytes(ReadOnlySpan<char> value) => long.Parse(value.Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;

    /// <summary>User and system CPU time of /proc/PID/stat (fields 14 and 15).</summary>
    public static TimeSpan ReadCpu(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / s_ticksPerSecond);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
