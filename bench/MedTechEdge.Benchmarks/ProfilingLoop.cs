using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// <c>--loop {case} {seconds} [what]</c>: runs the engine on one case in a loop, for a profiler
/// (<c>perf record -g</c> with <c>DOTNET_PerfMapEnabled=1</c>) to sample; prints a rough rate and the process CPU time per message (less disturbed by a loaded machine than wall time), which are no benchmark.
/// <c>what</c>: <c>normalize-transform</c> (the default), <c>transform</c> (the transform alone), <c>normalize</c> (the streaming plan where the mapping has
/// one) or <c>normalize-jsonpath</c> (the JSONPath engine only).
/// </summary>
internal static class ProfilingLoop
{
    public const string NormalizeAndTransform = "normalize-transform";

    public static void Run(string caseName, string seconds, string what)
    {
        Func<int> step;
        EnginePipeline engine;
        switch (what)
        {
            case NormalizeAndTransform:
                engine = new EnginePipeline(BenchmarkCases.Get(caseName));
                step = engine.NormalizeAndTransform;
                break;
            case "transform":
                // The transform alone, of the case's measurements normalized once.
                engine = new EnginePipeline(BenchmarkCases.Get(caseName));
                engine.Normalize();
                step = engine.Transform;
                break;
            case "normalize":
            case "normalize-jsonpath":
                engine = new EnginePipeline(BenchmarkCases.Get(caseName), streaming: what == "normalize");
                step = engine.Normalize;
                break;
            default:
                throw new ArgumentException($"Unknown loop '{what}': normalize-transform, transform, normalize or normalize-jsonpath.", nameof(what));
        }

        var duration = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));
        for (int i = 0; i < 50_000; i++)
        {
            step();
        }

        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long messages = 0;
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 10_000; i++)
            {
                step();
            }

            messages += 10_000;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        double cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / messages;
        long bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / messages;
        int json = engine.Resources.Sum(r => r.Json.Length);
        Console.WriteLine($"{messages / elapsed:N0} msgs/s (rough, one thread), {cpuNs:N0} ns of process CPU per message; {bytes} B allocated per message, {json} B of Observation JSON");
    }
}
