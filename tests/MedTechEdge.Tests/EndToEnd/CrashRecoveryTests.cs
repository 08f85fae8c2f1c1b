using System.Globalization;
using System.Text;
using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The acknowledgement contract: a message the module acknowledged (PUBACK) is on disk. Killing the
/// process with SIGKILL right after the last PUBACK, then starting it again, loses nothing.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-crash-" + Guid.NewGuid().ToString("N"));

    public CrashRecoveryTests() => Directory.CreateDirectory(_folder);

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
    public async Task Every_Message_Acknowledged_Before_A_SIGKILL_Is_Delivered_After_The_Restart()
    {
        const int count = 200;
        var lines = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            DateTime at = new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc).AddSeconds(i);
            lines.Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"crash-1","patientId":"p-crash","measurementTime":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + (i % 40)}}}""").Append('\n');
        }

        string input = Path.Combine(_folder, "messages.txt");
        File.WriteAllText(input, lines.ToString());

        await using (ModuleProcess first = await ModuleProcess.StartAsync(_folder))
        {
            // mosquitto_pub -l publishes one message per stdin line at QoS 1 and exits 0 once every one was acknowledged.
            string command = $"{MosquittoClients.PublisherPath} -h 127.0.0.1 -p {first.MqttPort} -q 1 -V mqttv5 -i crash-publisher -t devices/crash-1/messages/events/ -l < '{input}'";
            using (var publisher = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true })!)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await publisher.WaitForExitAsync(timeout.Token);
                Assert.True(publisher.ExitCode == 0, await publisher.StandardError.ReadToEndAsync());
            }

            await first.KillAsync();
        }

        await using ModuleProcess second = await ModuleProcess.StartAsync(_folder);
        string observations = Path.Combine(_folder, "data", "fhir", "Observation.ndjson");
        await Eventually.TrueAsync(() => DistinctObservations(observations) == count, TimeSpan.FromSeconds(60), $"{count} distinct Observations after the restart");
        await second.InterruptAsync();
    }

    private static int DistinctObservations(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(path))
        {
            // A line torn by the kill is cut at the next start; only whole lines count.
            try
            {
                ids.Add(JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!);
            }
            catch (JsonException)
            {
            }
        }

        return ids.Count;
    }
}
