using System.Runtime;

namespace MedTechEdge.Observability;

/// <summary>
/// The process's own cost in a scrape: CPU, resident memory, the managed heap and the JIT. An operator sizing a gateway
/// reads CPU per message from the first and the incoming counter; the JIT's share tells a one-time warm-up (every method
/// compiled at least once, the hot ones again at tier 1) from what each message costs for as long as the module runs.
/// </summary>
internal static class ProcessMetricsWriter
{
    public static void Write(PrometheusTextWriter w, string prefix)
    {
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        w.Family(prefix + "process_cpu_seconds_total", "counter", "CPU time the process used, user and system, since it started.");
        w.Sample(prefix + "process_cpu_seconds_total", [], cpu.TotalTime.TotalSeconds);
        w.Family(prefix + "process_resident_memory_bytes", "gauge", "Resident set size of the process.");
        w.Sample(prefix + "process_resident_memory_bytes", [], Environment.WorkingSet);
        w.Family(prefix + "gc_heap_bytes", "gauge", "Bytes of the managed heap after the last garbage collection, fragmentation included.");
        w.Sample(prefix + "gc_heap_bytes", [], GC.GetGCMemoryInfo().HeapSizeBytes);
        w.Family(prefix + "jit_compilation_seconds_total", "counter", "Time threads spent in the JIT since the process started, on every thread: elapsed time, so on a busy machine it can exceed the CPU the JIT used.");
        w.Sample(prefix + "jit_compilation_seconds_total", [], JitInfo.GetCompilationTime(currentThread: false).TotalSeconds);
        w.Family(prefix + "jit_compiled_methods_total", "counter", "Methods the JIT compiled since the process started, tier promotions included.");
        w.Sample(prefix + "jit_compiled_methods_total", [], JitInfo.GetCompiledMethodCount(currentThread: false));
    }
}
