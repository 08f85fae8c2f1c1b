namespace MedTechEdge.Tests;

/// <summary>Where the module's own build output is, for tests that run it as a separate process.</summary>
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
}
