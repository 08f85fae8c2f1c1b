using System.Globalization;
using System.Net;
using Microsoft.Playwright;

namespace MedTechEdge.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: the module runs in process with its simulated devices publishing over MQTT, and
/// Debian's headless Chromium (driven by Playwright's bundled driver, no browser download) loads the page.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests : IClassFixture<ChromiumFixture>
{
    // The simulator's defaults: devices sim-01…sim-04, patients patient-01…patient-04 (DeviceSimulationOptions).
    private static readonly string[] s_devices = ["sim-01", "sim-02", "sim-03", "sim-04"];
    private const string PatientPrefix = "patient-";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    private readonly ChromiumFixture _chromium;

    public DashboardBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    [Fact]
    public async Task Page_Shows_The_Simulated_Devices_With_Live_Vitals_And_No_Patient_Id()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, "--MedTechEdge:Simulator:Enabled=true", "--MedTechEdge:Simulator:IntervalMs=500");
        IPage page = await _chromium.NewPageAsync();
        await page.GotoAsync($"http://{module.DashboardEndPoint}/");

        // Every simulated device is listed with a last-seen time.
        foreach (string device in s_devices)
        {
            ILocator lastSeen = page.Locator($"#devices tr[data-device='{device}'] .last-seen");
            await Assertions.Expect(lastSeen).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"ago \(\d\d:\d\d:\d\d\)"), new() { Timeout = (float)s_timeout.TotalMilliseconds });
        }

        // sim-01 is a bedside monitor: its heart rate is shown beside its chart, within a human range, and moves.
        ILocator heartRate = page.Locator(".vital-card[data-device='sim-01'] .vital[data-type='heartrate'] .value");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTime deadline = DateTime.UtcNow + s_timeout;
        while (seen.Count < 2 && DateTime.UtcNow < deadline)
        {
            if (await heartRate.CountAsync() == 1)
            {
                string text = await heartRate.InnerTextAsync();
                double bpm = double.Parse(text, CultureInfo.InvariantCulture);
                Assert.InRange(bpm, 30, 200);
                seen.Add(text);
            }

            await Task.Delay(500);
        }

        Assert.True(seen.Count >= 2, $"The heart rate shown did not change within {s_timeout.TotalSeconds:0} s: {string.Join(", ", seen)}.");
        foreach (string type in new[] { "spo2", "bloodpressure", "bodytemperature" })
        {
            await Assertions.Expect(page.Locator($".vital-card[data-device='sim-01'] .vital[data-type='{type}'] .value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d"));
        }

        // The chart is drawn: its canvas has coloured pixels.
        int drawn = await page.EvaluateAsync<int>(
            """
            () => {
              const canvas = document.querySelector(".vital-card[data-device='sim-01'] canvas");
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              let lit = 0;
              for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { lit++; } }
              return lit;
            }
            """);
        Assert.True(drawn > 500, $"The vitals chart has {drawn} drawn pixels.");

        // Throughput and backlog come from the stages and the store.
        await Assertions.Expect(page.Locator("#sink-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("connected"));
        await Assertions.Expect(page.Locator("#backlog-inbox")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));

        // No patient id by default: not on the page, not in any answer it reads.
        Assert.DoesNotContain(PatientPrefix, await page.InnerTextAsync("body"), StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{module.DashboardEndPoint}/") };
        foreach (string api in new[] { "api/devices", "api/status", "api/deadletters", "api/throughput" })
        {
            string json = await http.GetStringAsync(api);
            Assert.DoesNotContain(PatientPrefix, json, StringComparison.Ordinal);
        }

        await SaveScreenshotAsync(page);
    }

    [Fact]
    public async Task Access_Key_Is_Required_When_Configured_And_Patient_Ids_Show_Only_When_Allowed()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(
            null,
            "--MedTechEdge:Simulator:Enabled=true",
            "--MedTechEdge:Simulator:IntervalMs=500",
            "--MedTechEdge:Dashboard:AccessKey=bedside-7",
            "--MedTechEdge:Dashboard:ShowPatientIds=true");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{module.DashboardEndPoint}/") };

        foreach (string path in new[] { "", "index.html", "api/status", "api/devices", "api/devices?key=wrong" })
        {
            HttpResponseMessage refused = await http.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"/{path}: {refused.StatusCode}");
        }

        // The script and style sheet hold no data.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("dashboard.js")).StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "api/status"))
        {
            request.Headers.Add("X-Access-Key", "bedside-7");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        // Read-only, key or not.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("api/status?key=bedside-7", new StringContent("{}"))).StatusCode);

        // In the browser, the key in the page's address goes along with every data request; patient ids are allowed here.
        IPage page = await _chromium.NewPageAsync();
        IResponse? response = await page.GotoAsync($"http://{module.DashboardEndPoint}/?key=bedside-7");
        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.Locator("#devices tr[data-device='sim-01'] td").Nth(1)).ToHaveTextAsync("patient-01", new() { Timeout = (float)s_timeout.TotalMilliseconds });
    }

    /// <summary>
    /// The screenshot goes beside the test assembly (artifacts/dashboard.png, kept by CI as an artifact); with
    /// MEDTECHEDGE_DOCS_SCREENSHOTS=1 it is also copied to docs/images/dashboard.png, the one the docs show, so a
    /// routine test run does not change a tracked file.
    /// </summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        // Two more polls, so the throughput chart and the vitals carry a few seconds of data.
        await Task.Delay(2500);
        string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        string path = Path.Combine(artifacts, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, "The screenshot is empty.");
        if (Environment.GetEnvironmentVariable("MEDTECHEDGE_DOCS_SCREENSHOTS") == "1")
        {
            string docs = Path.Combine(RepositoryRoot(), "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, "dashboard.png"), overwrite: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MedTechEdge.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("No MedTechEdge.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// One headless Chromium for the class: Debian's /usr/bin/chromium (test.sh installs it), launched through the driver
/// that ships inside the Microsoft.Playwright package, so nothing is downloaded.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's chromium package (test.sh does).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in CI containers: Chromium's sandbox needs user namespaces it may not have there.
            Args = ["--no-sandbox"],
            Timeout = 30_000,
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        IPage page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 }, ColorScheme = ColorScheme.Dark });
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
