using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.Dashboard;

/// <summary>
/// The dashboard of the built module, as a separate process: its page (an embedded resource) and a device's data from
/// a real publish. The other dashboard tests host it in the test process; this one also runs, in test.sh's second
/// pass, against the trimmed publish the images ship, where a resource or a code path the trimmer removed would show.
/// </summary>
public sealed partial class Dashboard_Process_Tests : IDisposable
{
    private readonly TestFolder _folder = new("medtechedge-dashboard-process-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_Built_Module_Serves_Its_Page_And_A_Publishing_Device()
    {
        await using ModuleProcess module = await ModuleProcess.StartAsync(_folder.Path, "--MedTechEdge:Dashboard:Port=0");
        int port = 0;
        await Poll.UntilAsync(() => DashboardLine().Match(module.Output) is { Success: true } line && int.TryParse(line.Groups[1].Value, CultureInfo.InvariantCulture, out port),
            TimeSpan.FromSeconds(30), "the dashboard's listening line:\n" + module.Output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(10) };

        using HttpResponseMessage page = await http.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>MedTechEdge dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        MosquittoClientResult published = await MosquittoClients.PublishAsync(
            TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", module.MqttPort.ToString(CultureInfo.InvariantCulture), "-q", "1", "-i", "bedside-dash",
            "-t", "devices/bedside-dash/messages/events/", "-m", """{"deviceId":"bedside-dash","patientId":"p-dash","measurementTime":"2026-03-01T08:00:00Z","heartRate":71}""");
        Assert.True(published.ExitCode == 0, published.StandardError);

        string devices = "";
        await Eventually.TrueAsync(() =>
        {
            devices = http.GetStringAsync("api/devices").GetAwaiter().GetResult();
            return devices.Contains("bedside-dash", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the device on the dashboard's device list");
        Assert.Contains("heartRate", devices, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("p-dash", devices, StringComparison.Ordinal);

        await module.InterruptAsync();
        Assert.Equal(0, module.ExitCode);
    }

    [GeneratedRegex(@"Dashboard: http://[0-9.]+:(\d+)/")]
    private static partial Regex DashboardLine();
}
