using System.CommandLine;
using System.CommandLine.Parsing;

namespace MedTechEdge.Tools;

/// <summary>
/// The parsed arguments of a tool subcommand, as the commands read them: positional words and <c>--name value</c>
/// options. System.CommandLine has already checked the shape (known options, required ones, allowed values); this view
/// keeps the commands' bodies independent of the parser's types.
/// </summary>
internal sealed class ToolArguments
{
    private readonly ParseResult _result;
    private readonly List<string> _words = [];

    public ToolArguments(ParseResult result)
    {
        _result = result;
        // The words that are not options: the command path from the root down (`deadletters`, `show`), then the leaf
        // command's argument values (`12`), so Positional(2) of `deadletters show 12` is the id, as the hand parser had it.
        _words.AddRange(CommandPath(result.CommandResult));
        foreach (SymbolResult child in result.CommandResult.Children)
        {
            if (child is ArgumentResult argument)
            {
                List<string> into = argument.Argument.Name == ModuleSettings.Name ? Settings : _words;
                foreach (Token token in argument.Tokens)
                {
                    into.Add(token.Value);
                }
            }
        }
    }

    /// <summary>The names of the commands from below the root down to <paramref name="command"/>: <c>deadletters</c>, <c>show</c>.</summary>
    public static List<string> CommandPath(CommandResult command)
    {
        var path = new List<string>();
        for (CommandResult? at = command; at?.Parent is CommandResult parent; at = parent)
        {
            path.Add(at.Command.Name);
        }

        path.Reverse();
        return path;
    }

    /// <summary>The command's <c>--Section:Key=value</c> settings, in order (<see cref="ModuleSettings"/>).</summary>
    public List<string> Settings { get; } = [];

    /// <summary>The <paramref name="index"/>-th word that is not an option, e.g. the expression of <c>jsonpath</c> at 1.</summary>
    public string Positional(int index, string what) =>
        index < _words.Count ? _words[index] : throw new ToolUsageException(what + " is required.");

    public string? Option(string name) => _result.GetValue<string>(name);

    public T? Value<T>(string name) => _result.GetValue<T>(name);

    public bool Has(string flag) => _result.GetValue<bool>(flag);

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

/// <summary>An input the command line names is unusable (a file it cannot read, a value that is not JSON); the message says how.</summary>
internal sealed class ToolUsageException(string message) : Exception(message);

/// <summary>The module's configuration, which the tool reads, is unusable (exit code <see cref="ExitCodes.Configuration"/>); the message names the setting.</summary>
internal sealed class ToolConfigurationException(string message) : Exception(message);
