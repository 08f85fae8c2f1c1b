using System.Diagnostics;
using MedTechEdge.Hosting;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests;

/// <summary>
/// The executable's command line run once to its exit, with stdout and stderr kept apart: what a user or a script sees
/// of a command (a tool's output, help, a usage error, a start-up that fails), in-process or as the built executable.
/// </summary>
internal static class ModuleCommand
{
    public sealed record Result(int ExitCode, string Out, string Err);

    /// <summary>In-process, through the same entry point as the executable, with <paramref name="stdin"/> as its input.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunInProcessAsync(string stdin, IReadOnlyList<string> args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await ModuleEntryPoint.RunAsync(args, new StringReader(stdin), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The built executable, in <paramref name="folder"/>; fails the test when it has not exited within <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string folder, TimeSpan timeout, params string[] args)
    {
        ProcessStartInfo start = ModuleBuild.StartInfo(folder);
        start.RedirectStandardInput = true;
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Still running: it started something it should not have (the module, for a help request).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"MedTechEdge {string.Join(' ', args)} did not exit within {timeout.TotalSeconds:0} s:\n{await stdout}\n{await stderr}");
        }

        // A command that ran the pipeline (replay, --simulate) wrote its NDJSON output in the folder.
        FhirResourceAssert.NdjsonValid(folder);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
