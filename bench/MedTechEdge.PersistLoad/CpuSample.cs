using System.Diagnostics;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The clock and the CPU counters at the start of a case. On a shared two-core machine the rate alone cannot say who
/// was the limit; the CPU each party used over the same interval can.
/// </summary>
internal readonly struct CpuSample
{
    private readonly long _started;
    private readonly TimeSpan _peer;
    private readonly TimeSpan _azurite;
    private readonly TimeSpan _tool;
    private readonly string _load;

    private CpuSample(long started, TimeSpan peer, TimeSpan azurite, TimeSpan tool, string load)
    {
        _started = started;
        _peer = peer;
        _azurite = azurite;
        _tool = tool;
        _load = load;
    }

    public static CpuSample Take(Process? peer, Process? azurite) => new(
        Stopwatch.GetTimestamp(),
        PeerProcesses.ProcessorTime(peer),
        PeerProcesses.ProcessorTime(azurite),
        Process.GetCurrentProcess().TotalProcessorTime,
        EventHubsIngestRun.LoadAverage());

    /// <summary>The interval since this sample, with the module processes' CPU time (measured by the caller: they start after the sample).</summary>
    public Delta Since(Process? peer, Process? azurite, TimeSpan module) => new(
        Stopwatch.GetElapsedTime(_started),
        module,
        PeerProcesses.ProcessorTime(peer) - _peer,
        PeerProcesses.ProcessorTime(azurite) - _azurite,
        Process.GetCurrentProcess().TotalProcessorTime - _tool,
        _load,
        EventHubsIngestRun.LoadAverage());

    /// <summary>
    /// Wall time, and CPU time of the modules, the FHIR peer (node), Azurite (node) and this tool (the AMQP peer, the
    /// publisher, the loader).
    /// </summary>
    public sealed record Delta(TimeSpan Elapsed, TimeSpan Module, TimeSpan Peer, TimeSpan Azurite, TimeSpan Tool, string LoadBefore, string LoadAfter);
}
