namespace MedTechEdge.Tests;

/// <summary>A folder of a test's own under the system's temporary folder, deleted with what is in it when disposed.</summary>
internal sealed class TestFolder : IDisposable
{
    public TestFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>A folder inside, created if missing (a module's working folder, say).</summary>
    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    /// <summary>Has Firely check any NDJSON output of a module in the folder not checked yet, then deletes the folder.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects a resource in the NDJSON output.</exception>
    public void Dispose()
    {
        try
        {
            MedTechEdge.TestPeers.FhirResourceAssert.NdjsonValid(Path);
        }
        finally
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A process of the test's may still hold a file; the system's temporary folder is cleaned anyway.
            }
        }
    }
}
