namespace MedTechEdge.JmesPath.Tests;

/// <summary>Finds the repository root: the nearest folder above the test binaries that holds MedTechEdge.sln.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MedTechEdge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No folder holding MedTechEdge.sln above " + AppContext.BaseDirectory);
    }
}
