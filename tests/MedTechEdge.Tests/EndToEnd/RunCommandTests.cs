using System.Diagnostics;
using System.Text.Json;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The README's run command, as a real process: the built module with <c>--simulate</c>, in a fresh
/// working folder, on a free port instead of 1883 so the test never collides with a broker on the machine.
/// </summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Simulate_Writes_Observation_Lines_Within_15_Seconds_And_Ctrl_C_Stops_Cleanly()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(ModuleBuild.DllPath);
            start.ArgumentList.Add("--simulate");
            start.ArgumentList.Add("--MedTechEdge:Mqtt:Port=0");
            start.ArgumentList.Add("--MedTechEdge:Simulator:IntervalMs=200");
            using Process process = Process.Start(start)!;
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            // Defaults: the store and the NDJSON output under ./data of the working folder.
            string observations = Path.Combine(folder, "data", "fhir", "Observation.ndjson");
            await Eventually.TrueAsync(() => File.Exists(observations) && new FileInfo(observations).Length > 0, TimeSpan.FromSeconds(15), "Observation lines under ./data/fhir");
            Assert.True(File.Exists(Path.Combine(folder, "data", "medtechedge.db")));

            // Ctrl+C: SIGINT, as a terminal sends it.
            using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
            Assert.True(process.ExitCode == 0, "exit code " + process.ExitCode + "\n" + output);

            // Nothing half-written: every line is a whole Observation, and the file ends with a newline.
            string text = File.ReadAllText(observations);
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Equal("Observation", JsonDocument.Parse(line).RootElement.GetProperty("resourceType").GetString());
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
