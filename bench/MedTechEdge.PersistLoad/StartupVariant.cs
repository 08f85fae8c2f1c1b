using System.Diagnostics;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// One way of publishing a program for linux-x64 (the <c>dotnet publish</c> settings after the project), and how its
/// output is started: framework-dependent as the images run it (<c>dotnet X.dll</c>, no apphost), self-contained by
/// its apphost (as a <c>runtime-deps</c> image would).
/// </summary>
internal sealed record StartupVariant(string Key, string Name, bool SelfContained, params string[] Settings)
{
    /// <summary>
    /// The module's variants; the first is the one the release Dockerfiles ship, with their publish settings (the project
    /// file adds TrimMode=partial, the apphost, and trim warnings as warnings under PublishTrimmed). Each trimmed
    /// variant counts its trim-analysis warnings (<see cref="Publish"/>): each is a place where trimming may remove what
    /// the code needs.
    /// </summary>
    public static readonly StartupVariant[] Module =
    [
        new("sc-r2r-trim", "self-contained, ReadyToRun, trimmed (TrimMode=partial: the framework's assemblies; as shipped)", true, "-p:SelfContained=true", "-p:PublishTrimmed=true"),
        new("fd-r2r", "framework-dependent, ReadyToRun (shipped until issue 16's second stop)", false, "-p:SelfContained=false", "-p:UseAppHost=false"),
        new("fd-il", "framework-dependent, IL only (no ReadyToRun)", false, "-p:SelfContained=false", "-p:UseAppHost=false", "-p:PublishReadyToRun=false"),
        new("sc-r2r", "self-contained, ReadyToRun", true, "--self-contained", "-p:UseAppHost=true"),
    ];

    /// <summary>The way the images publish the module.</summary>
    public static StartupVariant Shipped => Module[0];

    /// <summary>How the runtime's floor programs are published and started: framework-dependent, ReadyToRun, as in every run so far.</summary>
    public static StartupVariant Floor => Module[1];

    /// <summary>
    /// Only when named (<c>startup 7 100000 sc-r2r-trim-full</c>, alone: the trimmer's incremental build does not notice a
    /// changed TrimMode): every assembly trimmed, the SDK's default for PublishTrimmed. The module does not start so
    /// (docs/benchmarks.md, "Start-up and image size").
    /// </summary>
    public static readonly StartupVariant TrimmedFull =
        new("sc-r2r-trim-full", "self-contained, ReadyToRun, trimmed (TrimMode=full)", true, "-p:SelfContained=true", "-p:PublishTrimmed=true", "-p:TrimMode=full");

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
        int warnings = stdout.Result.Split('\n').Where(l => l.Contains("warning IL2", StringComparison.Ordinal) || l.Contains("warning IL3", StringComparison.Ordinal)).Distinct().Count();
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
