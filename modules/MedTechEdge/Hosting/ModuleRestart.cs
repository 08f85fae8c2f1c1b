using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Hosting;

/// <summary>
/// A restart of the module inside its process, to apply configuration from the twin: the host stops (stages finish
/// their transaction, the store keeps everything), and <see cref="ModuleEntryPoint"/> builds a new one.
/// </summary>
internal sealed class ModuleRestart(IHostApplicationLifetime lifetime)
{
    private int _requested;

    /// <summary>True once a restart was asked for.</summary>
    public bool Requested => Volatile.Read(ref _requested) != 0;

    /// <summary>Why the last restart was asked for, for the log and the next start's status.</summary>
    public string? Reason { get; private set; }

    /// <summary>Stops this host and asks for a new one.</summary>
    public void Request(string reason)
    {
        Reason = reason;
        Volatile.Write(ref _requested, 1);
        lifetime.StopApplication();
    }
}
