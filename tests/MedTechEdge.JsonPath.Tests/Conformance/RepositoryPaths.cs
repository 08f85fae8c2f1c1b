namespace MedTechEdge.JsonPath.Tests.Conformance;

/// <summary>Finds files in the repository by walking up from the test binaries to the folder holding MedTechEdge.sln.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedTechEdge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MedTechEdge.sln not found above " + AppContext.BaseDirectory);
    }
}
