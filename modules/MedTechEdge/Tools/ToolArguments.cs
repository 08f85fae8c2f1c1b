namespace MedTechEdge.Tools;

/// <summary>The arguments of a tool subcommand: positional values and <c>--name value</c> options.</summary>
internal sealed class ToolArguments(string[] args)
{
    /// <summary>The positional argument after the command words, e.g. the expression of <c>jsonpath</c>.</summary>
    public string Positional(int index, string what) =>
        index < args.Length && !args[index].StartsWith("--", StringComparison.Ordinal) ? args[index] : throw new ToolUsageException(what + " is required.");

    public string? Option(string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public bool Has(string flag) => Array.IndexOf(args, flag) >= 0;

    /// <summary>The module settings given as <c>--Section:Key=value</c>, in order (later ones win), as the module's command line takes them.</summary>
    public string[] Settings() => Array.FindAll(args, a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal));

    public string Required(string name) => Option(name) ?? throw new ToolUsageException(name + " <value> is required.");

    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolUsageException($"cannot read '{path}': {ex.Message}");
        }
    }
}

/// <summary>The command line is wrong; the message says how.</summary>
internal sealed class ToolUsageException(string message) : Exception(message);
