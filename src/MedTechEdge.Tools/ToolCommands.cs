using System.CommandLine;

namespace MedTechEdge.Tools;

/// <summary>
/// Subcommands of the module executable for people writing mappings and operating the store, as System.CommandLine
/// commands. Output is JSON on stdout; errors are readable text on stderr with a non-zero exit code (<see cref="ExitCodes"/>).
/// The parser checks the shape of the command line; each command's class does the work.
/// </summary>
internal static class ToolCommands
{
    public static IEnumerable<Command> Create(TextReader stdin, IModuleHostFactory hosts)
    {
        yield return Mappings(hosts);
        yield return Expression("jsonpath", "Evaluate a JSONPath expression against the JSON document on stdin; prints the node list.", (args, output, error) => ExpressionCommands.JsonPathAsync(args, stdin, output, error), Dialect());
        yield return Expression("jmespath", "Evaluate a JMESPath expression (with the MedTech functions) against the JSON document on stdin.", (args, output, error) => ExpressionCommands.JmesPathAsync(args, stdin, output, error));
        yield return DeadLetters();
        yield return Mqtt(stdin);
        yield return Replay(hosts);
    }

    public static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return ExitCodes.Failed;
    }

    private static Command Mappings(IModuleHostFactory hosts)
    {
        var validate = new Command("validate", "Load a device mapping, and a FHIR mapping if given, and list every error and warning with its line.")
        {
            FileOption("--device", "The device mapping (devicecontent.json).", required: true),
            FileOption("--fhir", "The FHIR destination mapping (fhirmapping.json); without it, the device mapping alone.", required: false),
            ResolutionTypeOption(),
            ModuleSettings.Argument(),
        };
        SetAction(validate, (args, output, error) => Task.FromResult(MappingCommands.Validate(args, hosts, output, error)));

        var debug = new Command("debug", "Run sample messages through the mappings: the measurements, the Observations and each message's error.")
        {
            FileOption("--device", "The device mapping (devicecontent.json).", required: true),
            // Not required here: whether the debugger runs on a device mapping alone is the command's decision.
            FileOption("--fhir", "The FHIR destination mapping (fhirmapping.json).", required: false),
            FileOption("--message", "One device message, or a JSON array of them.", required: true),
            new Option<string>("--properties") { Description = "The messages' application properties, a JSON object.", HelpName = "json" },
            new Option<string>("--system-properties") { Description = "The messages' system properties, a JSON object.", HelpName = "json" },
            ResolutionTypeOption(),
            new Option<string>("--fhir-url") { Description = "A FHIR server to make the Lookup modes' searches on, read-only.", HelpName = "url" },
            ModuleSettings.Argument(),
        };
        SetAction(debug, (args, output, error) => MappingCommands.DebugAsync(args, hosts, output, error));

        return new Command("mappings", "Check and debug MedTech device and FHIR mappings offline.") { validate, debug };
    }

    private static Option<string> ResolutionTypeOption() =>
        Choice("--resolution-type", "How Patient and Device are resolved; default: the module's Pipeline:ResolutionType.", "Create", "Lookup", "LookupWithEncounter");

    private static Option<string> Dialect() =>
        Choice("--dialect", "medtech (Json.NET, as the managed service evaluates) or rfc9535; default medtech.", "medtech", "rfc9535");

    private static Command Expression(string name, string description, ToolAction action, params Option[] options)
    {
        var command = new Command(name, description)
        {
            new Argument<string>("expression") { Description = "The expression; quote it for the shell." },
        };
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        SetAction(command, action);
        return command;
    }

    private static Command DeadLetters()
    {
        var list = new Command("list", "Every dead letter: when, which stage, why, from which device (without bodies).");
        SetAction(list, (args, output, error) => Task.FromResult(DeadLetterCommands.Run(args, output, error)));

        var show = new Command("show", "One dead letter with its original message.")
        {
            DeadLetterId(),
            new Option<bool>("--raw") { Description = "Print the original message's body as its exact bytes." },
        };
        SetAction(show, (args, output, error) => Task.FromResult(DeadLetterCommands.Run(args, output, error)));

        Argument<long?> id = DeadLetterId();
        id.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = "Every dead letter." };
        var requeue = new Command("requeue", "Send dead letters through the pipeline again, once the mapping or the data is fixed.") { id, all };
        requeue.Validators.Add(result =>
        {
            // Exactly one of the two: `requeue` alone would do nothing, `requeue 12 --all` is ambiguous.
            if ((result.GetValue(id) is null) == !result.GetValue(all))
            {
                result.AddError("Give either a dead letter id or --all.");
            }
        });
        SetAction(requeue, (args, output, error) => Task.FromResult(DeadLetterCommands.Run(args, output, error)));

        var store = new Option<string>("--store")
        {
            Description = "The store; default: MedTechEdge:Store:Path from appsettings.json and the environment.",
            HelpName = "path",
            Recursive = true,
        };
        return new Command("deadletters", "What could not be delivered, and why; requeue it once fixed.") { store, list, show, requeue };
    }

    // long? so requeue can tell "no id" from 0; a nullable argument is optional by default, so the arity says it is not.
    private static Argument<long?> DeadLetterId() => new("id") { Description = "A dead letter's id (see `deadletters list`).", Arity = ArgumentArity.ExactlyOne };

    private static Command Mqtt(TextReader stdin)
    {
        var hash = new Command("hash-password", "Read a password from the first line of stdin and print the credentials-file line.")
        {
            new Argument<string>("username") { Description = "The MQTT user name." },
        };
        SetAction(hash, (args, output, error) => MqttCommands.RunAsync(args, stdin, output, error));
        return new Command("mqtt", "The MQTT listener's credentials.") { hash };
    }

    private static Command Replay(IModuleHostFactory hosts)
    {
        var replay = new Command("replay", "Historic device messages (ndjson, json, csv) through the module's pipeline, with progress on stderr.")
        {
            FileOption("--input", "A file, or a folder of them.", required: true),
            Choice("--format", "The files' format; default: from each file's extension.", "ndjson", "json", "csv"),
            new Option<string>("--store") { Description = "The store to replay through; default: the module's.", HelpName = "path" },
            new Option<double>("--progress") { Description = "Seconds between progress lines; 0: every message.", HelpName = "seconds", DefaultValueFactory = _ => 5 },
            ModuleSettings.Argument(),
        };
        SetAction(replay, (args, output, error) => ReplayCommand.RunAsync(args, hosts, output, error));
        return replay;
    }

    private static Option<string> FileOption(string name, string description, bool required) =>
        new(name) { Description = description, HelpName = "file", Required = required };

    private static Option<string> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description };
        // Case-insensitive, as the hand-written parser before it lowered the value.
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, values);
        return option;
    }

    private delegate Task<int> ToolAction(ToolArguments args, TextWriter stdout, TextWriter stderr);

    /// <summary>
    /// The command's body with the streams the invocation names; an unusable input ends it with exit code 1, an unusable
    /// module configuration (which <c>mappings</c> reads for its default resolution type) with exit code 4.
    /// </summary>
    private static void SetAction(Command command, ToolAction action) =>
        command.SetAction(async (result, _) =>
        {
            TextWriter stdout = result.InvocationConfiguration.Output;
            TextWriter stderr = result.InvocationConfiguration.Error;
            try
            {
                return await action(new ToolArguments(result), stdout, stderr).ConfigureAwait(false);
            }
            catch (ToolUsageException ex)
            {
                return Fail(stderr, ex.Message);
            }
            catch (ToolConfigurationException ex)
            {
                await stderr.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Configuration;
            }
        });
}
