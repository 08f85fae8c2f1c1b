namespace MedTechEdge.Tools;

/// <summary>
/// The executable's exit codes, one meaning each whichever command runs (docs/operations.md, "Exit codes"), so a
/// script or edgeAgent's restart policy can tell a wrong command line from a taken port.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: the module stopped cleanly, or the tool did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The tool ran and found a problem: an invalid mapping, a message that does not map, an unknown id, an unreadable file.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or disallowed value. Usage is on stderr.</summary>
    public const int Usage = 2;

    /// <summary><c>replay</c> finished, but some messages are dead letters.</summary>
    public const int DeadLetters = 3;

    /// <summary>The configuration or the mappings are unusable; the one line on stderr names the setting.</summary>
    public const int Configuration = 4;

    /// <summary>An essential listener (MQTT) cannot bind its address; the one line on stderr names the address and the setting.</summary>
    public const int CannotBind = 5;

    /// <summary>Interrupted (Ctrl+C) before it finished: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}
