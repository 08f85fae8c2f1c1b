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
            string framework = testOutput.Name;
            string configuration = testOutput.Parent!.Name;
            DirectoryInfo? root = testOutput;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "MedTechEdge.sln")))
            {
                root = root.Parent;
            }

            Assert.NotNull(root);
            string dll = Path.Combine(root.FullName, "modules", "MedTechEdge", "bin", configuration, framework, "MedTechEdge.dll");
            Assert.True(File.Exists(dll), "build the module first: " + dll);
            return dll;
        }
    }

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

        return start;
    }
}
