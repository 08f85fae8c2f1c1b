using System.Diagnostics;
using System.Globalization;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// <c>--loop {case} {seconds} [transform]</c>: runs the engine's normalize + transform of one case (with <c>transform</c>:
/// the transform alone, of the case's measurements normalized once) in a loop, for a profiler
/// (<c>perf record -g</c> with <c>DOTNET_PerfMapEnabled=1</c>) to sample; prints a rough rate and the process CPU time per message (less disturbed by a loaded machine than wall time), which are no benchmark.
/// </summary>
internal static class ProfilingLoop
{
    public static void Run(string caseName, string seconds, bool transformOnly)
    {
        var engine = new EnginePipeline(BenchmarkCases.Get(caseName));
        engine.Normalize();
        Func<int> operation = transformOnly ? engine.Transform : engine.NormalizeAndTransform;
        var duration = TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));
        for (int i = 0; i < 50_000; i++)
        {
            operation();
        }

        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long messages = 0;
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 10_000; i++)
            {
                operation();
            }

            messages += 10_000;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        double cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds / messages;
        long bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / messages;
        int json = engine.Resources.Sum(r => r.Json.Length);
        Console.WriteLine($"{(transformOnly ? "transform only: " : string.Empty)}{messages / elapsed:N0} msgs/s (rough, one thread), {cpuNs:N0} ns of process CPU per message; {bytes} B allocated per message, {json} B of Observation JSON");
    }
}
