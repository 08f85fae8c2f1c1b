namespace MedTechEdge.TestPeers;

/// <summary>Where the npm-installed peers live: tests/peers/NAME under the repository root.</summary>
public static class PeerFolders
{
    /// <summary>
    /// The repository root is the folder holding MedTechEdge.sln, found by walking up from the test binaries
    /// (tests/X/bin/Release/net10.0/).
    /// </summary>
    public static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedTechEdge.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "peers", name);
            }
        }

        throw new InvalidOperationException(
            $"Cannot find the repository root (the folder holding MedTechEdge.sln) above {AppContext.BaseDirectory}.");
    }
}
