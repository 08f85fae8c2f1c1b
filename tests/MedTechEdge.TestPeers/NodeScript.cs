using System.Diagnostics;

namespace MedTechEdge.TestPeers;

/// <summary>What a node script printed, and how it ended.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
public sealed record NodeScriptResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs one script of a node peer (tests/peers/&lt;peer&gt;) to its end, as the Microsoft SDK referees are run: in the
/// peer's folder, with its settings in the environment (never on the command line, where a key would show in `ps`),
/// standard input written and closed, both outputs read, and a deadline after which the process tree is killed.
/// </summary>
public static class NodeScript
{
    /// <summary>Runs <paramref name="arguments"/> (the script first) in tests/peers/<paramref name="peer"/>.</summary>
    /// <exception cref="InvalidOperationException">The peer's npm packages are not installed.</exception>
    /// <exception cref="TimeoutException">The script did not end within <paramref name="deadline"/>; the message has its stderr.</exception>
    public static async Task<NodeScriptResult> RunAsync(string peer, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan deadline, string? input = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        string folder = PeerFolders.Find(peer);
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"run `npm ci` in tests/peers/{peer} (./test.sh does)");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{arguments[0]} did not finish within {deadline}: {await stderr}");
        }

        return new NodeScriptResult(process.ExitCode, await stdout, await stderr);
    }
}
