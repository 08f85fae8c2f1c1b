using System.Diagnostics;

namespace MedTechEdge.Tests;

/// <summary>
/// Where the module's own build output is, for tests that run it as a separate process. <c>MEDTECHEDGE_MODULE</c>
/// names another build to run instead: a .dll runs on the shared framework through <c>dotnet</c>, anything else is a
/// self-contained publish's executable (test.sh runs the process tests once more against a trimmed publish).
/// </summary>
internal static class ModuleBuild
{
    public static string DllPath
    {
        get
        {
            // The test assembly sits in tests/MedTechEdge.Tests/bin/{Configuration}/net10.0/; the module
            // is built with the same configuration into modules/MedTechEdge/bin/{Configuration}/net10.0/.
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string dll = Path.Combine(RepositoryRoot, "modules", "MedTechEdge", "bin", testOutput.Parent!.Name, testOutput.Name, "MedTechEdge.dll");
            Assert.True(File.Exists(dll), "build the module first: " + dll);
            return dll;
        }
    }

    private static string RepositoryRoot
    {
        get
        {
            DirectoryInfo? root = new(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "MedTechEdge.sln")))
            {
                root = root.Parent;
            }

            Assert.NotNull(root);
            return root.FullName;
        }
    }

    /// <summary>
    /// The runtime settings the image sets (Dockerfile.amd64's ENV DOTNET_* and MALLOC_*: the garbage collector and
    /// malloc), so a self-contained publish runs here as it runs in the image: a GC the publish lacks fails the start.
    /// </summary>
    private static readonly Lazy<KeyValuePair<string, string>[]> s_imageRuntimeSettings = new(() =>
    {
        string dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot, "modules", "MedTechEdge", "Dockerfile.amd64"));
        return [.. System.Text.RegularExpressions.Regex.Matches(dockerfile, @"(?m)^(?:ENV\s+|\s+)((?:DOTNET|MALLOC)_\w+)=(\S+)")
            .Select(setting => KeyValuePair.Create(setting.Groups[1].Value, setting.Groups[2].Value))];
    });

    /// <summary>The build the process tests run: <c>MEDTECHEDGE_MODULE</c> when set, else this checkout's build.</summary>
    public static string Module => Environment.GetEnvironmentVariable("MEDTECHEDGE_MODULE") is { Length: > 0 } other
        ? (File.Exists(other) ? other : throw new InvalidOperationException("MEDTECHEDGE_MODULE names no file: " + other))
        : DllPath;

    /// <summary>How to start the module in <paramref name="folder"/>; the caller adds the arguments.</summary>
    public static ProcessStartInfo StartInfo(string folder)
    {
        string module = Module;
        bool viaMuxer = module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(viaMuxer ? "dotnet" : module) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        if (viaMuxer)
        {
            start.ArgumentList.Add(module);
        }
        else
        {
            foreach ((string name, string value) in s_imageRuntimeSettings.Value)
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}
