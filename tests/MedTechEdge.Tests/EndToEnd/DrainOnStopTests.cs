using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// <c>Pipeline:DrainOnStop</c>: a cloud instance told to stop (SIGTERM, as on scale-in) keeps delivering what its
/// store holds before it exits, so nothing waits on a volume that may never be mounted again.
/// </summary>
public sealed class DrainOnStopTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-drain-" + Guid.NewGuid().ToString("N"));

    public DrainOnStopTests() => Directory.CreateDirectory(_folder);

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
    public async Task A_Stopping_Module_Delivers_Its_Backlog_Before_It_Exits()
    {
        const int count = 30;
        string run = Guid.NewGuid().ToString("N")[..8];
        var lines = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            DateTime at = new DateTime(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc).AddSeconds(i);
            lines.Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"drain-{{run}}","patientId":"p-drain-{{run}}","measurementTime":"{{at:yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + i}}}""").Append('\n');
        }

        string input = Path.Combine(_folder, "messages.txt");
        File.WriteAllText(input, lines.ToString());

        // The FHIR server is not there yet: everything waits in the store.
        int port = FreePort();
        await using ModuleProcess module = await ModuleProcess.StartAsync(
            _folder,
            $"--MedTechEdge:Fhir:Url=http://127.0.0.1:{port}/fhir/",
            "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.1",
            "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:00.5",
            "--MedTechEdge:Pipeline:DrainOnStop=00:01:00");
        string command = $"{MosquittoClients.PublisherPath} -h 127.0.0.1 -p {module.MqttPort} -q 1 -V mqttv5 -i drain-{run} -t devices/drain-{run}/messages/events/ -l < '{input}'";
        using (var publisher = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true })!)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await publisher.WaitForExitAsync(timeout.Token);
            Assert.True(publisher.ExitCode == 0, await publisher.StandardError.ReadToEndAsync());
        }

        await module.TerminateAsync();
        await Eventually.TrueAsync(() => module.Output.Contains("draining the store", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the module says it drains");
        Assert.False(module.HasExited, "the module exited with its backlog undelivered:\n" + module.Output);

        // The server comes up while the module drains: the backlog goes out, then the module exits on its own.
        var peer = new FhirPeerFixture { Port = port };
        await peer.InitializeAsync();
        try
        {
            await module.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, module.ExitCode);
            Assert.Contains("the store is drained", module.Output, StringComparison.Ordinal);
            using var http = new HttpClient();
            // The peer started empty for this test: every Observation on it came from the drain.
            string json = await http.GetStringAsync(new Uri(peer.BaseUrl, "Observation?_count=500"));
            int found = JsonDocument.Parse(json).RootElement.TryGetProperty("entry", out JsonElement entries) ? entries.GetArrayLength() : 0;
            Assert.Equal(count, found);
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
