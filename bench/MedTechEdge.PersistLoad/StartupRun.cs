using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Mapping;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>startup</c> mode (issue 16, item 4): the published module's start, from creating its process to its first
/// <c>/readyz</c> 200, on a store that holds a backlog (an outage's: inbox and outbox rows) and on an empty store, for
/// each way of publishing it (<see cref="StartupVariant.Module"/>), against the runtime's floor of the same run (a
/// trivial program's start to exit, and to its first HTTP 200); and the size of each published output.
/// </summary>
/// <remarks>
/// Every start is of a fresh copy of the same seeded store in a folder of its own, with the module's shipped settings
/// (the dashboard on, Information logging, the NDJSON sink) and free loopback ports. The cases take turns, round by
/// round, so a drift of the shared machine reaches all of them alike. The module's Map and Persist stages start on the
/// backlog at once, as they would after an outage: their work on the same cores is part of what is measured.
/// </remarks>
internal static class StartupRun
{
    /// <summary><c>startup [starts per case, default 7] [backlog rows per table, default 100000] [variant keys…]</c>.</summary>
    /// <summary>The variants named by key, as separate arguments or comma lists; none (and a message) when a key is unknown.</summary>
    private static StartupVariant[] Chosen(string[] keys)
    {
        StartupVariant[] known = [.. StartupVariant.Module, StartupVariant.TrimmedFull];
        var chosen = new List<StartupVariant>();
        foreach (string key in keys.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            StartupVariant? variant = Array.Find(known, v => v.Key == key);
            if (variant is null)
            {
                Console.Error.WriteLine($"Unknown start-up variant '{key}'; the keys are: {string.Join(", ", known.Select(v => v.Key))}.");
                return [];
            }

            chosen.Add(variant);
        }

        return [.. chosen];
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int starts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        StartupVariant[] variants = args.Length > 2 ? Chosen(args[2..]) : StartupVariant.Module;
        if (variants.Length == 0)
        {
            return 2;
        }

        string root = RepositoryRoot.Find();
        string work = Path.Combine(Path.GetTempPath(), "medtechedge-startup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Start-up: process start → first /readyz 200, {starts} starts per case, {Environment.ProcessorCount} cores; load {EventHubsIngestRun.LoadAverage()}"));
            var published = new List<(StartupVariant Variant, string Entry, long Bytes, int TrimWarnings)>();
            string project = Path.Combine(root, "modules", "MedTechEdge", "MedTechEdge.csproj");
            foreach (StartupVariant variant in variants)
            {
                var clock = Stopwatch.StartNew();
                string output = Path.Combine(work, "publish-" + variant.Key);
                // PERSISTLOAD_STARTUP_PUBLISHED: a folder with outputs published before, one subfolder per variant key
                // (the trimmed publish takes minutes), to time them again without publishing.
                (string entry, int warnings) = Environment.GetEnvironmentVariable("PERSISTLOAD_STARTUP_PUBLISHED") is { Length: > 0 } earlier && Directory.Exists(Path.Combine(earlier, variant.Key))
                    ? (Path.Combine(output = Path.Combine(earlier, variant.Key), variant.SelfContained ? "MedTechEdge" : "MedTechEdge.dll"), -1)
                    : variant.Publish(project, output, "MedTechEdge");
                published.Add((variant, entry, FolderBytes(output), warnings));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {variant.Name}: {FolderBytes(output) / 1e6:F1} MB, published in {clock.Elapsed.TotalSeconds:F0} s ({warnings} trim warnings; -1: published before)"));
            }

            string floor = StartupFloor.Publish(Path.Combine(work, "floor"));
            // PERSISTLOAD_STARTUP_STORE: a seeded store to reuse (made there when missing, and kept), to look at one start by hand.
            string seeded = Environment.GetEnvironmentVariable("PERSISTLOAD_STARTUP_STORE") is { Length: > 0 } kept ? kept : Path.Combine(work, "seed", "medtechedge.db");
            var seedClock = Stopwatch.StartNew();
            string mappings = Path.Combine(root, "modules", "MedTechEdge", "mappings");
            (long inbox, long outbox) = File.Exists(seeded)
                ? StartupStore.Count(seeded)
                : await StartupStore.SeedAsync(seeded, rows, DeviceMapping.Load(File.ReadAllText(Path.Combine(mappings, "devicecontent.json"))), FhirMapping.Load(File.ReadAllText(Path.Combine(mappings, "fhirmapping.json"))));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# seeded a store of {new FileInfo(seeded).Length / 1e6:F0} MB: {inbox:N0} inbox and {outbox:N0} outbox rows, in {seedClock.Elapsed.TotalSeconds:F0} s; load {EventHubsIngestRun.LoadAverage()}"));

            // Cases: the floor twice, then each variant on the empty store and on the backlog.
            var cases = new List<StartupCase>
            {
                new("Floor: a trivial program, start to exit", null, null, null),
                new("Floor: a slim ASP.NET Core program, start to its first 200", null, floor, null),
            };
            foreach ((StartupVariant variant, string entry, _, _) in published)
            {
                cases.Add(new StartupCase($"Module, {variant.Name}, empty store", variant, entry, null));
                cases.Add(new StartupCase($"Module, {variant.Name}, {inbox:N0} inbox + {outbox:N0} outbox rows", variant, entry, seeded));
            }

            // One start of each to warm the page cache, not counted; then round by round.
            for (int round = 0; round <= starts; round++)
            {
                foreach (StartupCase startupCase in cases.Where(c => c.Failure is null))
                {
                    try
                    {
                        StartupProbe.Timing timing = await StartOnceAsync(startupCase, floor, work);
                        if (round > 0)
                        {
                            startupCase.Timings.Add(timing);
                        }
                    }
                    catch (InvalidOperationException ex) when (startupCase.Variant is not null)
                    {
                        // A way of publishing that breaks the module is a finding, not the end of the run: said once, then left out.
                        startupCase.Failure = ex.Message;
                        Console.WriteLine("# " + startupCase.Name + " did not start: " + ex.Message.ReplaceLineEndings(" ")[..Math.Min(ex.Message.Length, 600)]);
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# round {round} done; load {EventHubsIngestRun.LoadAverage()}"));
            }

            Report(cases, published, starts);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<StartupProbe.Timing> StartOnceAsync(StartupCase startupCase, string floor, string work)
    {
        if (startupCase.Variant is null)
        {
            StartupVariant host = StartupVariant.Floor;
            if (startupCase.Entry is null)
            {
                TimeSpan exit = await StartupProbe.UntilExitAsync(host.StartInfo(floor, work, []));
                return new StartupProbe.Timing(exit, exit);
            }

            int port = StartupProbe.FreePort();
            var url = new Uri($"http://127.0.0.1:{port}/readyz");
            return await StartupProbe.UntilReadyAsync(host.StartInfo(floor, work, [$"http://127.0.0.1:{port}"]), url, url);
        }

        string folder = Path.Combine(work, "start-" + Guid.NewGuid().ToString("N"));
        string store = Path.Combine(folder, "data", "medtechedge.db");
        Directory.CreateDirectory(folder);
        try
        {
            if (startupCase.SeededStore is not null)
            {
                StartupStore.CopyTo(startupCase.SeededStore, store);
            }

            int metrics = StartupProbe.FreePort();
            string[] settings =
            [
                "--MedTechEdge:Store:Path=" + store,
                "--MedTechEdge:Output:NdjsonFolder=" + Path.Combine(folder, "data", "fhir"),
                "--MedTechEdge:Metrics:Port=" + metrics.ToString(CultureInfo.InvariantCulture),
                "--MedTechEdge:Mqtt:Port=" + StartupProbe.FreePort().ToString(CultureInfo.InvariantCulture),
                "--MedTechEdge:Dashboard:Port=" + StartupProbe.FreePort().ToString(CultureInfo.InvariantCulture),
            ];
            return await StartupProbe.UntilReadyAsync(startupCase.Variant.StartInfo(startupCase.Entry!, folder, settings), new Uri($"http://127.0.0.1:{metrics}/healthz"), new Uri($"http://127.0.0.1:{metrics}/readyz"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(List<StartupCase> cases, List<(StartupVariant Variant, string Entry, long Bytes, int TrimWarnings)> published, int starts)
    {
        TimeSpan floorHttp = cases[1].Median;
        TimeSpan shippedEmpty = cases[2].Timings.Count > 0 ? cases[2].Median : floorHttp;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Start to first `/readyz` 200 (ms; {starts} starts each; the floor rows: to exit, and to a slim ASP.NET Core program's first 200); load {EventHubsIngestRun.LoadAverage()}"));
        Console.WriteLine();
        Console.WriteLine("| Case | Median ms | Max ms | `/healthz` 200, median ms | ÷ floor (HTTP) | ÷ the first module row, empty store |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (StartupCase c in cases)
        {
            if (c.Timings.Count == 0)
            {
                Console.WriteLine($"| {c.Name} | did not start (see its line above) | | | | |");
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Name} | {c.Median.TotalMilliseconds:F0} | {c.Max.TotalMilliseconds:F0} | {c.MedianAlive.TotalMilliseconds:F0} | {c.Median / floorHttp:F2} | {c.Median / shippedEmpty:F2} |"));
        }

        // The images: framework-dependent on the .NET runtime image (the runtime's shared framework and the dotnet host,
        // measured here as installed; the module needs no ASP.NET Core since issue 16's third stop); self-contained on
        // runtime-deps, which has none of it.
        string netCore = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(netCore, "..", "..", ".."));
        string version = Path.GetFileName(netCore);
        long netCoreBytes = FolderBytes(netCore);
        long aspNetBytes = FolderBytes(Path.Combine(dotnetRoot, "shared", "Microsoft.AspNetCore.App", version));
        long hostBytes = FolderBytes(Path.Combine(dotnetRoot, "host")) + new FileInfo(Path.Combine(dotnetRoot, "dotnet")).Length;
        long framework = netCoreBytes + hostBytes;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sizes (MB = 10^6 bytes; files' bytes as `du -sb` counts them). The shared frameworks {version} under {dotnetRoot}: Microsoft.NETCore.App {netCoreBytes / 1e6:F1}, Microsoft.AspNetCore.App {aspNetBytes / 1e6:F1} (not needed by the module), host {hostBytes / 1e6:F1}."));
        Console.WriteLine();
        Console.WriteLine("| Published | Output MB | Trim warnings | .NET the image must add MB | Output + .NET MB | ÷ the first row |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        long shipped = published[0].Bytes + (published[0].Variant.SelfContained ? 0 : framework);
        foreach ((StartupVariant variant, _, long bytes, int warnings) in published)
        {
            long runtime = variant.SelfContained ? 0 : framework;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variant.Name} | {bytes / 1e6:F1} | {(warnings < 0 ? "(published before)" : warnings)} | {runtime / 1e6:F1} | {(bytes + runtime) / 1e6:F1} | {(double)(bytes + runtime) / shipped:F2} |"));
        }
    }

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.LinkTarget is null).Sum(f => f.Length) : 0;

    /// <summary>One row of the table: what is started, on which store, and its starts' timings.</summary>
    private sealed class StartupCase(string name, StartupVariant? variant, string? entry, string? seededStore)
    {
        public string Name { get; } = name;

        public StartupVariant? Variant { get; } = variant;

        public string? Entry { get; } = entry;

        public string? SeededStore { get; } = seededStore;

        public List<StartupProbe.Timing> Timings { get; } = [];

        /// <summary>Why the module did not become ready, once it did not: its later starts are skipped.</summary>
        public string? Failure { get; set; }

        public TimeSpan Median => MedianOf(Timings.Select(t => t.Ready));

        public TimeSpan MedianAlive => MedianOf(Timings.Select(t => t.Alive));

        public TimeSpan Max => Timings.Max(t => t.Ready);

        private static TimeSpan MedianOf(IEnumerable<TimeSpan> values)
        {
            TimeSpan[] sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
