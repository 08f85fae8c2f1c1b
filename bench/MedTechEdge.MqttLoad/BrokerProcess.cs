using System.Diagnostics;

namespace MedTechEdge.MqttLoad;

/// <summary>A broker this tool started as a process of its own, on a loopback port, with its CPU time read from the OS.</summary>
internal abstract class BrokerProcess(Process process, int port)
{
    public int Port { get; } = port;

    /// <summary>CPU time the broker process has used so far (all its threads).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            Process.Refresh();
            return Process.TotalProcessorTime;
        }
    }

    protected Process Process { get; } = process;
}
