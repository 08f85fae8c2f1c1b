using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MedTechEdge.Tools;

/// <summary>
/// The executable's command line: with no command it runs the module (the root command, with <c>--simulate</c> and
/// configuration settings); the tools are its subcommands. Help at every level (<c>-h</c>, <c>--help</c>, <c>help</c>)
/// and <c>--version</c> print and exit 0 without starting anything; a command line the parser refuses prints the error
/// and the usage on stderr and exits <see cref="ExitCodes.Usage"/>.
/// </summary>
public sealed class ModuleCommandLine
{
    // No response files: a JMESPath expression may well start with '@' (the current node).
    private static readonly ParserConfiguration s_parser = new() { ResponseFileTokenReplacer = null };

    private readonly RootCommand _root;
    private readonly Argument<string[]> _settings;

    /// <param name="runModule">Runs the module on the arguments its host reads (the settings, and <c>--simulate</c>); returns the exit code.</param>
    /// <param name="hosts">Builds the module's host for <c>replay</c>.</param>
    /// <param name="stdin">What <c>jsonpath</c>, <c>jmespath</c> and <c>mqtt hash-password</c> read.</param>
    public ModuleCommandLine(Func<string[], Task<int>> runModule, IModuleHostFactory hosts, TextReader stdin)
    {
        var simulate = new Option<bool>("--simulate") { Description = "Add four simulated devices publishing over MQTT with the bundled sample mappings." };
        _settings = ModuleSettings.Argument();
        // Hidden: help would show the root's arguments in every subcommand's usage line, where settings are refused.
        _settings.Hidden = true;
        _root = new RootCommand(
            "MedTechEdge: Azure MedTech mappings at the edge. Without a command, runs the module: MQTT in, FHIR out, an embedded store between.\n" +
            "Settings: --Section:Key=value, e.g. --MedTechEdge:Mqtt:Port=1884 (docs/configuration.md); later ones win.")
        {
            simulate,
            _settings,
        };
        foreach (Command tool in ToolCommands.Create(stdin, hosts))
        {
            _root.Subcommands.Add(tool);
        }

        _root.Subcommands.Add(HelpCommand());
        _root.SetAction((result, _) =>
        {
            var args = new ToolArguments(result);
            // The module's host reads the settings as .NET command-line configuration and looks for the bare switch itself.
            return runModule(result.GetValue(simulate) ? [.. args.Settings, "--simulate"] : [.. args.Settings]);
        });
    }

    /// <summary>Parses <paramref name="args"/> and runs what they name; returns the process's exit code.</summary>
    public async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ParseResult result = _root.Parse(args, s_parser);
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // A bug in a command is a crash with its stack trace, not exit code 1 that reads like "found a problem".
            EnableDefaultExceptionHandler = false,
            // The module's host and replay handle Ctrl+C and SIGTERM themselves, stopping in order; the parser's own
            // handler would end the process after its timeout, mid-transaction.
            ProcessTerminationTimeout = null,
        };
        if (result.CommandResult.Command != _root && result.GetResult(_settings) is { Tokens.Count: > 0 } misplaced)
        {
            // The parser gives tokens before a command to the root's settings, where the command would never read them.
            await stderr.WriteLineAsync($"Setting '{misplaced.Tokens[0].Value}' before the command: settings go to the module, or after `replay`.").ConfigureAwait(false);
            await stderr.WriteLineAsync().ConfigureAwait(false);
            invocation.Output = stderr;
            await WriteHelpAsync(ToolArguments.CommandPath(result.CommandResult), invocation).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (result.Action is ParseErrorAction)
        {
            // The parser's error action prints the errors, "did you mean" and the usage, the usage to Output: both to
            // stderr here, so stdout stays what scripts parse. It returns 1; a usage error is 2 (ExitCodes).
            invocation.Output = stderr;
            await result.InvokeAsync(invocation).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(invocation).ConfigureAwait(false);
    }

    /// <summary><c>help [command ...]</c>: the same help as <c>--help</c> for the command named, or for the executable.</summary>
    private Command HelpCommand()
    {
        var words = new Argument<string[]>("command") { Description = "The command to describe, e.g. `deadletters show`.", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show help for the executable or for a command.") { words };
        help.SetAction((result, _) =>
        {
            string[] path = result.GetValue(words) ?? [];
            return WriteHelpAsync(path, result.InvocationConfiguration);
        });
        return help;
    }

    /// <summary>The help of the command at <paramref name="path"/>, as its <c>--help</c> prints it.</summary>
    private async Task<int> WriteHelpAsync(IReadOnlyList<string> path, InvocationConfiguration invocation)
    {
        ParseResult target = _root.Parse([.. path, "--help"], s_parser);
        // An unknown word ends up among the root's settings, so the command found is a shorter path than the one asked for.
        if (target.Action is not HelpAction || ToolArguments.CommandPath(target.CommandResult).Count != path.Count)
        {
            await invocation.Error.WriteLineAsync($"error: no command '{string.Join(' ', path)}'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await target.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
