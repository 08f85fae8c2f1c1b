namespace MedTechEdge.Tools;

/// <summary>
/// Subcommands of the module executable for people writing mappings. Output is JSON on stdout;
/// errors are readable text on stderr with a non-zero exit code.
/// </summary>
internal static class ToolCommands
{
    public const string Usage = """
        usage:
          MedTechEdge mappings validate --device <file> [--fhir <file>] [--resolution-type Create|Lookup|LookupWithEncounter]
          MedTechEdge mappings debug --device <file> [--fhir <file>] --message <file> [--properties <json>] [--system-properties <json>]
                                     [--resolution-type Create|Lookup|LookupWithEncounter] [--fhir-url <url>] [--<Setting>=<value> ...]
          MedTechEdge jsonpath <expression> [--dialect medtech|rfc9535] < document.json
          MedTechEdge jmespath <expression> < document.json
          MedTechEdge deadletters list [--store <path>]
          MedTechEdge deadletters show <id> [--raw] [--store <path>]
          MedTechEdge deadletters requeue (--all | <id>) [--store <path>]
          MedTechEdge mqtt hash-password <username> < password
          MedTechEdge replay --input <file|dir> [--format ndjson|json|csv] [--store <path>] [--progress <seconds>] [--<Setting>=<value> ...]
        """;

    public static bool IsToolCommand(string name) => name is "mappings" or "jsonpath" or "jmespath" or "deadletters" or "mqtt" or "replay";

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args switch
            {
                ["mappings", "validate", ..] => MappingCommands.Validate(new ToolArguments(args), stdout, stderr),
                ["mappings", "debug", ..] => await MappingCommands.DebugAsync(new ToolArguments(args), stdout, stderr).ConfigureAwait(false),
                ["jsonpath", ..] => await ExpressionCommands.JsonPathAsync(new ToolArguments(args), stdin, stdout, stderr).ConfigureAwait(false),
                ["deadletters", ..] => DeadLetterCommands.Run(new ToolArguments(args), stdout, stderr),
                ["mqtt", ..] => await MqttCommands.RunAsync(new ToolArguments(args), stdin, stdout, stderr).ConfigureAwait(false),
                ["jmespath", ..] => await ExpressionCommands.JmesPathAsync(new ToolArguments(args), stdin, stdout, stderr).ConfigureAwait(false),
                ["replay", ..] => await ReplayCommand.RunAsync(args, stdout, stderr).ConfigureAwait(false),
                _ => Fail(stderr, "unknown command.\n" + Usage),
            };
        }
        catch (ToolUsageException ex)
        {
            return Fail(stderr, ex.Message + "\n" + Usage);
        }
    }

    public static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return 1;
    }
}
