using System.Diagnostics;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// One way of publishing a program for linux-x64 (the <c>dotnet publish</c> settings after the project), and how its
/// output is started: framework-dependent as the images run it (<c>dotnet X.dll</c>, no apphost), self-contained by
/// its apphost (as a <c>runtime-deps</c> image would).
/// </summary>
internal sealed record StartupVariant(string Key, string Name, bool SelfContained, params string[] Settings)
{
    /// <summary>The module's variants; the first is the one the Dockerfiles ship.</summary>
    public static readonly StartupVariant[] Module =
    [
        new("fd-r2r", "framework-dependent, ReadyToRun (as shipped)", false, "-p:SelfContained=false", "-p:UseAppHost=false"),
        new("fd-il", "framework-dependent, IL only (no ReadyToRun)", false, "-p:SelfContained=false", "-p:UseAppHost=false", "-p:PublishReadyToRun=false"),
        new("sc-r2r", "self-contained, ReadyToRun", true, "--self-contained", "-p:UseAppHost=true"),
        new("sc-r2r-trim-partial", "self-contained, ReadyToRun, trimmed (TrimMode=partial: the framework only)", true, "--self-contained", "-p:UseAppHost=true", "-p:PublishTrimmed=true", "-p:TrimMode=partial"),
        new("sc-r2r-trim-full", "self-contained, ReadyToRun, trimmed (TrimMode=full)", true, "--self-contained", "-p:UseAppHost=true", "-p:PublishTrimmed=true", "-p:TrimMode=full"),
    ];

    /// <summary>
    /// Publishes <paramref name="project"/> into <paramref name="output"/> (emptied first); returns the file to start and
    /// the distinct trim-analysis warnings (IL2xxx, IL3xxx) the publish reported.
    /// </summary>
    public (string Entry, int TrimWarnings) Publish(string project, string output, string assembly)
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var publish = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, .. Settings])
        {
            publish.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(publish)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        string entry = Path.Combine(output, SelfContained ? assembly : assembly + ".dll");
        int warnings = stdout.Result.Split('\n').Where(l => l.Contains(": warning IL2", StringComparison.Ordinal) || l.Contains(": warning IL3", StringComparison.Ordinal)).Distinct().Count();
        return process.ExitCode == 0 && File.Exists(entry)
            ? (entry, warnings)
            : throw new InvalidOperationException($"Publishing {project} ({Name}) failed:\n{stdout.Result}{stderr.Result}");
    }

    /// <summary>How to start the published <paramref name="entry"/> with <paramref name="args"/>.</summary>
    public ProcessStartInfo StartInfo(string entry, string workingFolder, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(SelfContained ? entry : "dotnet") { WorkingDirectory = workingFolder };
        if (!SelfContained)
        {
            start.ArgumentList.Add(entry);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
