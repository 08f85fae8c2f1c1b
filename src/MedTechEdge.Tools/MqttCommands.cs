using MedTechEdge.Mqtt.Security;

namespace MedTechEdge.Tools;

/// <summary>
/// <c>mqtt hash-password &lt;username&gt;</c>: reads a password from the first line of stdin (never from
/// the command line, where it would land in shell history) and prints the credentials-file line.
/// </summary>
internal static class MqttCommands
{
    public static async Task<int> RunAsync(ToolArguments args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positional(1, "hash-password") != "hash-password")
        {
            return ToolCommands.Fail(stderr, "unknown mqtt command.");
        }

        string username = args.Positional(2, "a username");
        string? password = await stdin.ReadLineAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
        {
            return ToolCommands.Fail(stderr, "give the password on the first line of stdin.");
        }

        try
        {
            await stdout.WriteLineAsync(MqttPasswordHash.CreateLine(username, password)).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return ToolCommands.Fail(stderr, ex.Message);
        }

        return 0;
    }
}
