using System.Text.Json;

namespace MedTechEdge.Tests.Deployment;

/// <summary>
/// The referees of the tests (Firely, JmesPath.Net, MQTTnet, the fake clock, the AMQP peer's library) stay out of what
/// the module ships: its deps.json lists every assembly a publish copies.
/// </summary>
public sealed class Module_Dependencies_Tests
{
    private static readonly string[] s_testOnly =
    [
        "Hl7.Fhir", "JmesPath.Net", "MQTTnet", "Microsoft.Extensions.TimeProvider.Testing", "AMQPNetLite", "Newtonsoft.Json",
        "xunit", "Microsoft.Playwright", "BenchmarkDotNet", "MedTechEdge.TestPeers",
    ];

    [Fact]
    public void No_Test_Only_Package_Is_Among_The_Modules_Runtime_Dependencies()
    {
        string depsPath = Path.ChangeExtension(ModuleBuild.DllPath, ".deps.json");
        using JsonDocument deps = JsonDocument.Parse(File.ReadAllText(depsPath));
        var libraries = new List<string>();
        foreach (JsonProperty library in deps.RootElement.GetProperty("libraries").EnumerateObject())
        {
            libraries.Add(library.Name);
        }

        // The shipped libraries are there (the check reads the right file) ...
        Assert.Contains(libraries, l => l.StartsWith("Azure.Messaging.EventHubs/", StringComparison.Ordinal));
        Assert.Contains(libraries, l => l.StartsWith("MedTechEdge.Tools/", StringComparison.Ordinal));
        // ... and none of the tests' own.
        foreach (string library in libraries)
        {
            foreach (string testOnly in s_testOnly)
            {
                Assert.False(library.StartsWith(testOnly, StringComparison.OrdinalIgnoreCase), $"{library} is a test-only package but the module depends on it");
            }
        }
    }
}
