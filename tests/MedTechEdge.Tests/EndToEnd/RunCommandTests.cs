using System.Text.Json;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The README's run command, as a real process: the built module with <c>--simulate</c>, in a fresh
/// working folder, on a free port instead of 1883 so the test never collides with a broker on the machine.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-run-" + Guid.NewGuid().ToString("N"));

    public RunCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Simulate_Writes_Observation_Lines_Within_15_Seconds_And_Ctrl_C_Stops_Cleanly()
    {
        await using ModuleProcess module = await ModuleProcess.StartAsync(_folder, "--simulate", "--MedTechEdge:Simulator:IntervalMs=200");

        // Defaults: the store and the NDJSON output under ./data of the working folder.
        string observations = Path.Combine(_folder, "data", "fhir", "Observation.ndjson");
        await Eventually.TrueAsync(() => File.Exists(observations) && new FileInfo(observations).Length > 0, TimeSpan.FromSeconds(15), "Observation lines under ./data/fhir");
        Assert.True(File.Exists(Path.Combine(_folder, "data", "medtechedge.db")));

        await module.InterruptAsync();
        Assert.True(module.ExitCode == 0, "exit code " + module.ExitCode + "\n" + module.Output);

        // Nothing half-written: every line is a whole Observation, and the file ends with a newline.
        string text = File.ReadAllText(observations);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Equal("Observation", JsonDocument.Parse(line).RootElement.GetProperty("resourceType").GetString());
        }
    }
}
