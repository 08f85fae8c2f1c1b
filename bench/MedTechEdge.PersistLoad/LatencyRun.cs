using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>latency</c> mode (issue 16 §2): how long from a device's publish until its Observation is accepted by the FHIR
/// peer, or written to Observation.ndjson, with 1,000 devices (one MQTT connection each) publishing open-loop at 100,
/// 1,000 and 5,000 messages per second in total, against the same run's baselines: publish → PUBACK on the same
/// connections (the broker and the inbox's durable commit alone), and the FHIR peer's own round trip for the Bundles
/// the module sent. Then SampledData windows (publish → window written, against the flush interval), and the
/// point-in-time latency of messages published during a window flush and during a forced WAL checkpoint.
/// </summary>
internal sealed class LatencyRun
{
    private const int Devices = 1_000;

    // SampledData case: windows flush when their oldest reading is this old; every device sends one reading in the
    // first second of each burst period, so a burst's windows all flush together, halfway between two bursts.
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_burstPeriod = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan s_checkpointEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_drainDeadline = TimeSpan.FromMinutes(3);

    private readonly string _moduleDll;
    private readonly PeerHost _peer;
    private readonly LatencyFhirRecorder _recorder;
    private readonly int _seconds;
    private readonly HashSet<string> _only;
    private readonly List<string> _rows = [];
    private readonly List<string> _notes = [];
    private int _case;
    private LatencyStats _replay = LatencyStats.Empty;
    private double _replayEntries;
    private double _replayCaseP99;
    private double? _target;

    private LatencyRun(string moduleDll, PeerHost peer, LatencyFhirRecorder recorder, int seconds, HashSet<string> only)
    {
        _only = only;
        _moduleDll = moduleDll;
        _peer = peer;
        _recorder = recorder;
        _seconds = seconds;
    }

    private enum Sink
    {
        Fhir,
        Ndjson,
    }

    /// <summary>
    /// <c>latency [seconds per case, default 20] [cases, default fhir,ndjson,sampled,checkpoint]</c>;
    /// <c>PERSISTLOAD_MODULE</c> as in <c>eventhubs</c> mode.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        HashSet<string> only = new((args.Length > 1 ? args[1] : "fhir,ndjson,sampled,checkpoint").Split(','), StringComparer.OrdinalIgnoreCase);
        string root = RepositoryRoot.Find();
        string dll = EventHubsIngestRun.ModuleDll(root);
        await using var peer = new PeerHost();
        await peer.Fixture.InitializeAsync();
        await using var recorder = new LatencyFhirRecorder(peer.Fixture.BaseUrl);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# End-to-end latency: {Devices:N0} devices (one MQTT 5 connection each, QoS 1), open-loop, {seconds} s per case ({seconds / 2} s at 5,000/s); {Environment.ProcessorCount} cores; load {EventHubsIngestRun.LoadAverage()}"));
        var run = new LatencyRun(dll, peer, recorder, seconds, only);
        return await run.RunCasesAsync();
    }

    private async Task<int> RunCasesAsync()
    {
        // Warm-up: node's JIT and the module's files in the page cache; not reported.
        await CaseAsync("warm-up", Sink.Fhir, 500, 5, report: false);

        foreach (double rate in _only.Contains("fhir") ? (double[])[100, 1_000, 5_000] : [])
        {
            await CaseAsync("point in time", Sink.Fhir, rate, SecondsAt(rate), replay: rate == 1_000);
        }

        foreach (double rate in _only.Contains("ndjson") ? (double[])[100, 1_000, 5_000] : [])
        {
            await CaseAsync("point in time", Sink.Ndjson, rate, SecondsAt(rate));
        }

        if (_only.Contains("sampled"))
        {
            await SampledDataCaseAsync();
        }

        if (_only.Contains("checkpoint"))
        {
            await CheckpointCaseAsync();
        }

        Console.WriteLine();
        Console.WriteLine("| Case | Sink | Offered msg/s | Messages | Publish → PUBACK ms, p50 / p99 / max (baseline) | Publish → Observation accepted ms, p50 / p99 / max | p99 ÷ PUBACK p99 | Not accepted at the end | Load average before → after |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        _rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        if (_target is { } target)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Target, point in time at 1,000 msg/s to the FHIR peer: p99 below 250 ms. Measured {target:N0} ms: {(target < 250 ? "met" : "not met")}."));
        }

        if (_replay.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Baseline, the FHIR peer alone: {_replay.Count} Bundles the module sent in the 1,000 msg/s case (mean {_replayEntries:F1} entries), replayed one at a time straight to the peer right after it: round trip p50 / p99 / max {_replay.Cell} ms. That case's publish → accepted p99 is {_replayCaseP99 / _replay.P99:F1}× this p99."));
        }

        _notes.ForEach(Console.WriteLine);
        Console.WriteLine($"Load average at the end: {EventHubsIngestRun.LoadAverage()}");
        return 0;
    }

    // At 5,000 msg/s half as long: the FHIR peer drains about 2,000 Observations/s, and the backlog's tail counts too.
    private int SecondsAt(double rate) => rate >= 5_000 ? Math.Max(1, _seconds / 2) : _seconds;

    private async Task<CaseOutcome> CaseAsync(
        string name, Sink sink, double rate, int seconds, bool report = true, bool replay = false,
        Func<int, int>? wave = null, string[]? moduleArgs = null, bool checkpoints = false)
    {
        await _peer.Fixture.ResetAsync();
        var environment = new Dictionary<string, string>();
        if (sink == Sink.Fhir)
        {
            environment["MedTechEdge__Fhir__Url"] = _recorder.BaseUrl.ToString();
        }

        string run = "lat" + (_case++).ToString(CultureInfo.InvariantCulture);
        int count = (int)(rate * seconds);
        var ledger = new LatencyLedger(count, rate);
        await using ModuleProcess module = await ModuleProcess.StartAsync(_moduleDll, environment, moduleArgs ?? [], mqtt: true);
        await using LatencyDevices devices = await LatencyDevices.ConnectAsync(module.MqttPort, run, Devices);
        LatencyNdjsonTail? tail = null;
        if (sink == Sink.Fhir)
        {
            _recorder.Attach(ledger, keepBundles: replay);
        }
        else
        {
            tail = new LatencyNdjsonTail(Path.Combine(module.Folder, "data", "fhir", "Observation.ndjson"), ledger);
        }

        LatencyCheckpoints? forced = checkpoints ? new LatencyCheckpoints(Path.Combine(module.Folder, "data", "medtechedge.db"), s_checkpointEvery) : null;
        using var stopCheckpoints = new CancellationTokenSource();
        try
        {
            await devices.WarmUpAsync();
            await UntilAsync(() => ledger.WarmAccepted >= Devices, module, "the warm-up's Observations");
            string loadBefore = EventHubsIngestRun.LoadAverage();
            Task checkpointing = forced?.RunAsync(stopCheckpoints.Token) ?? Task.CompletedTask;
            var clock = Stopwatch.StartNew();
            await devices.RunAsync(ledger, wave ?? (_ => -1));
            double published = clock.Elapsed.TotalSeconds;
            await stopCheckpoints.CancelAsync();
            await checkpointing;
            bool drained = await UntilAsync(() => ledger.AcceptedCount >= count && ledger.PendingWaves == 0, module, null);
            string loadAfter = EventHubsIngestRun.LoadAverage();
            // Whether section 1's burst deferral held any Observation back in this case (it should not: each device
            // sends one message at a time).
            using var metrics = new HttpClient();
            long deferrals = (await module.ScrapeAsync(metrics)).BurstDeferrals;
            var outcome = new CaseOutcome(ledger, forced, loadBefore, loadAfter);
            LatencyStats puback = LatencyStats.Of(ledger.PubAckLatencies());
            LatencyStats accepted = LatencyStats.Of(ledger.AcceptedLatencies());
            string sinkName = sink == Sink.Fhir ? "FHIR peer" : "NDJSON";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {name}, {sinkName}, {rate:N0} msg/s: {count:N0} published in {published:F1} s (due in {seconds} s), refused {ledger.Refused}; PUBACK {puback.Cell} ms; accepted {accepted.Count:N0} {accepted.Cell} ms{(drained ? "" : " (deadline reached)")}; Map held back for a burst {deferrals} time(s); load {loadBefore} → {loadAfter}{(sink == Sink.Fhir ? "; the peer answered " + _recorder.Answers() : "")}"));
            if (report)
            {
                _rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {sinkName} | {rate:N0} | {count:N0} | {puback.Cell} | {accepted.Cell} | {accepted.P99 / puback.P99:F1} | {count - accepted.Count:N0} | {loadBefore} → {loadAfter} |"));
            }

            if (replay)
            {
                // While the peer still holds the case's Patients and Devices, which the Bundles reference.
                List<byte[]> bundles = _recorder.KeptBundlesSample(300);
                _replay = await ReplayAsync(bundles);
                _replayEntries = bundles.Count == 0 ? 0 : bundles.Average(EntryCount);
                _replayCaseP99 = accepted.P99;
                _target = accepted.P99;
            }
            return outcome;
        }
        finally
        {
            _recorder.Attach(null, keepBundles: false);
            tail?.Dispose();
        }
    }

    /// <summary>
    /// SampledData windows at 1,000 msg/s: every message a point-in-time heart rate, and in the first second of every
    /// burst period each device's message also carries one SampledData reading, so each burst's 1,000 windows become due
    /// together one flush interval later. Reports publish → window written against the interval, and the point-in-time
    /// latency of messages published while a flush was under way (from the burst's first window due to its last
    /// window accepted) against the others.
    /// </summary>
    private async Task SampledDataCaseAsync()
    {
        const double Rate = 1_000;
        int perBurst = (int)(Rate * s_burstPeriod.TotalSeconds);
        int seconds = (int)Math.Max(_seconds, 3 * s_burstPeriod.TotalSeconds);
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-latency-mappings-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args = [.. LatencyMappings.Write(folder), "--MedTechEdge:Pipeline:SampledDataFlushInterval=" + s_flushInterval.ToString("c", CultureInfo.InvariantCulture)];
            CaseOutcome outcome = await CaseAsync("SampledData + point in time", Sink.Fhir, Rate, seconds, wave: seq => seq % perBurst < Devices ? seq / perBurst : -1, moduleArgs: args);
            LatencyLedger ledger = outcome.Ledger;
            IReadOnlyList<LatencyLedger.WaveLatency> waves = ledger.WaveLatencies;
            var flushes = new List<(long Start, long End)>();
            foreach (IGrouping<int, LatencyLedger.WaveLatency> burst in waves.GroupBy(w => w.Burst).OrderBy(g => g.Key))
            {
                long due = ledger.Scheduled(burst.Key * perBurst) + (long)(s_flushInterval.TotalSeconds * Stopwatch.Frequency);
                flushes.Add((due, burst.Max(w => w.Accepted)));
            }

            LatencyStats windows = LatencyStats.Of(waves.Select(w => w.Milliseconds).ToList());
            List<double> reads = _recorder.ReadRoundTrips();
            LatencyStats readStats = LatencyStats.Of([.. reads]);
            LatencyStats flushTimes = LatencyStats.Of(flushes.Select(f => LatencyStats.Milliseconds(f.Start, f.End)).ToList());
            bool During(long scheduled) => flushes.Any(f => scheduled >= f.Start && scheduled <= f.End);
            _notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"\nSampledData windows (flush interval {s_flushInterval.TotalMilliseconds:N0} ms, {flushes.Count} flushes of {Devices:N0} windows; load {outcome.LoadBefore} → {outcome.LoadAfter}): publish → window accepted p50 / p99 / max {windows.Cell} ms over {windows.Count:N0} readings; a flush lasted (first window due → last accepted) {flushTimes.Cell} ms. The FHIR sink read the windows before merging them: {readStats.Count:N0} read requests (GET Observation/{{id}} for a lone window, a batch Bundle of such GETs for several), round trip p50 / p99 / max {readStats.Cell} ms, {reads.Sum() / 1000:F1} s in all."));
            _notes.Add(InsideOutside("a SampledData window flush", ledger, During));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Point-in-time latency at 1,000 msg/s with a WAL checkpoint forced every few seconds, during them against outside.</summary>
    private async Task CheckpointCaseAsync()
    {
        CaseOutcome outcome = await CaseAsync("point in time, WAL checkpoint (TRUNCATE) forced every 2 s", Sink.Fhir, 1_000, _seconds, checkpoints: true);
        LatencyCheckpoints forced = outcome.Checkpoints!;
        LatencyStats durations = LatencyStats.Of(forced.Done.Select(c => LatencyStats.Milliseconds(c.Start, c.End)).ToList());
        double frames = forced.Done.Count == 0 ? 0 : forced.Done.Average(c => c.Frames);
        _notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"\nWAL checkpoints forced from a second connection (`PRAGMA wal_checkpoint(TRUNCATE)`, every {s_checkpointEvery.TotalSeconds:N0} s, {forced.Done.Count} of them, {frames:N0} WAL frames each on average; load {outcome.LoadBefore} → {outcome.LoadAfter}): each took p50 / p99 / max {durations.Cell} ms."));
        _notes.Add(InsideOutside("a forced WAL checkpoint", outcome.Ledger, forced.During));
    }

    private static string InsideOutside(string what, LatencyLedger ledger, Func<long, bool> during)
    {
        LatencyStats insideAck = LatencyStats.Of(ledger.PubAckLatencies(during));
        LatencyStats inside = LatencyStats.Of(ledger.AcceptedLatencies(during));
        LatencyStats outsideAck = LatencyStats.Of(ledger.PubAckLatencies(s => !during(s)));
        LatencyStats outside = LatencyStats.Of(ledger.AcceptedLatencies(s => !during(s)));
        return string.Create(CultureInfo.InvariantCulture, $"""

            | Point-in-time messages published | Messages | Publish → PUBACK ms, p50 / p99 / max | Publish → Observation accepted ms, p50 / p99 / max | p99 ÷ outside's p99 |
            |---|---:|---:|---:|---:|
            | during {what} | {inside.Count:N0} | {insideAck.Cell} | {inside.Cell} | {inside.P99 / outside.P99:F1} |
            | outside | {outside.Count:N0} | {outsideAck.Cell} | {outside.Cell} | 1.0 |
            """);
    }

    /// <summary>The FHIR peer's own round trip: the module's Bundles of the 1,000 msg/s case, posted again one at a time.</summary>
    private async Task<LatencyStats> ReplayAsync(List<byte[]> bundles)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var client = new FhirClient(http, _peer.Fixture.BaseUrl);
        var times = new List<double>(bundles.Count);
        foreach (byte[] bundle in bundles)
        {
            long start = Stopwatch.GetTimestamp();
            FhirResponse response = await client.TransactionAsync(bundle);
            long end = Stopwatch.GetTimestamp();
            if (!response.IsSuccess)
            {
                throw new InvalidOperationException("The peer refused a replayed Bundle: " + response);
            }

            times.Add(LatencyStats.Milliseconds(start, end));
        }

        return LatencyStats.Of(times);
    }

    /// <summary>Waits for <paramref name="done"/>; throws naming <paramref name="what"/> at the deadline, or returns false when that is null.</summary>
    private static async Task<bool> UntilAsync(Func<bool> done, ModuleProcess module, string? what)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (module.HasExited)
            {
                throw new InvalidOperationException("The module exited during the case:\n" + module.Output);
            }

            if (deadline.Elapsed > s_drainDeadline)
            {
                return what is null ? false : throw new TimeoutException($"No {what} after {s_drainDeadline}:\n{module.Output}");
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static int EntryCount(byte[] bundle)
    {
        using var document = System.Text.Json.JsonDocument.Parse(bundle);
        return document.RootElement.GetProperty("entry").GetArrayLength();
    }

    private sealed record CaseOutcome(LatencyLedger Ledger, LatencyCheckpoints? Checkpoints, string LoadBefore, string LoadAfter);
}
