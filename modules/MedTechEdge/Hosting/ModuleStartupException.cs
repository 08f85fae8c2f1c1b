using MedTechEdge.Tools;

namespace MedTechEdge.Hosting;

/// <summary>
/// The module's configuration or mappings are unusable, or an essential listener cannot bind; the message says what to
/// fix, the exit code (<see cref="ExitCodes"/>) which kind of failure it is.
/// </summary>
internal sealed class ModuleStartupException(string message, int exitCode = ExitCodes.Configuration) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>
    /// The message alone: this is an operator's setting, not a bug, so wherever it is logged (the host logs a failed
    /// start) or printed it stays one readable line, never a stack trace.
    /// </summary>
    public override string ToString() => Message;
}
