using System.CommandLine;
using System.CommandLine.Parsing;

namespace MedTechEdge.Tools;

/// <summary>
/// Configuration settings on the command line, <c>--Section:Key=value</c> (<c>--MedTechEdge:Mqtt:Port=1884</c>), as the
/// module and <c>replay</c> take them: .NET's command-line configuration provider reads them, the parser only checks their
/// shape. A setting needs the section separator, so a mistyped option (<c>--simulat</c>, <c>--port=1</c>) is an error
/// instead of a setting nobody reads.
/// </summary>
internal static class ModuleSettings
{
    public const string Name = "settings";

    public static Argument<string[]> Argument()
    {
        var settings = new Argument<string[]>(Name)
        {
            Description = "Configuration settings, e.g. --MedTechEdge:Mqtt:Port=1884 (docs/configuration.md); later ones win.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        settings.Validators.Add(Check);
        return settings;
    }

    public static bool IsSetting(string token)
    {
        // "--", then a key with at least one ':' before the first '=', then the value (which may be empty).
        int equals = token.IndexOf('=', StringComparison.Ordinal);
        int colon = token.IndexOf(':', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && colon > 2 && equals > colon + 1;
    }

    private static void Check(ArgumentResult result)
    {
        foreach (Token token in result.Tokens)
        {
            if (!IsSetting(token.Value))
            {
                result.AddError(token.Value.StartsWith('-')
                    ? $"Unrecognized option '{token.Value}'. A setting is written --Section:Key=value."
                    : $"Unrecognized command or argument '{token.Value}'.");
            }
        }
    }
}
