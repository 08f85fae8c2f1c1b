using System.CommandLine;
using System.CommandLine.Parsing;

namespace MedTechEdge.Tools;

/// <summary>
/// Configuration settings on the command line, <c>--Section:Key=value</c> (<c>--MedTechEdge:Mqtt:Port=1884</c>, or the
/// value as the next word: <c>--MedTechEdge:Mqtt:Port 1884</c>), as the
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

    /// <summary><c>--Section:Key=value</c>: a key with at least one ':' before the first '=', then the value (may be empty).</summary>
    private static bool IsSetting(string token)
    {
        int equals = token.IndexOf('=', StringComparison.Ordinal);
        int colon = token.IndexOf(':', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && colon > 2 && equals > colon + 1;
    }

    /// <summary><c>--Section:Key</c> whose value is the next word, the other form .NET's provider reads.</summary>
    private static bool IsKey(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf(':', StringComparison.Ordinal) > 2 && !token.Contains('=', StringComparison.Ordinal);

    private static void Check(ArgumentResult result)
    {
        IReadOnlyList<Token> tokens = result.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i].Value;
            if (IsSetting(token))
            {
                continue;
            }

            if (IsKey(token))
            {
                if (i + 1 < tokens.Count && !tokens[i + 1].Value.StartsWith("--", StringComparison.Ordinal))
                {
                    i++;
                    continue;
                }

                result.AddError($"Setting '{token}' has no value: write {token}=value.");
                return;
            }

            result.AddError(token.StartsWith('-')
                ? $"Unrecognized option '{token}'. A setting is written --Section:Key=value."
                : $"Unrecognized command or argument '{token}'.");
            return;
        }
    }
}
