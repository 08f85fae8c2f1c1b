namespace MedTechEdge.PersistLoad;

/// <summary>The module process exited, or never listened, before a case could use it; carries its output.</summary>
internal sealed class ModuleStartException(string output) : Exception("The module did not start:\n" + output)
{
    /// <summary>The line that says why: the first exception or error line of the output, else its last line.</summary>
    public string Reason
    {
        get
        {
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.Contains("Exception:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal))
                ?? lines.LastOrDefault() ?? "no output";
        }
    }
}
