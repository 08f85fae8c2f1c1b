using System.Globalization;
using System.Net;
using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Pipeline.Stages;
using Microsoft.Extensions.DependencyInjection;
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

        // The chart is drawn: a line per vital, every lane's label clear of it.
        int plotted = await page.Locator(".vital-card[data-device='sim-01'] .vitals-chart polyline.lane-line").CountAsync();
        Assert.True(plotted >= 4, $"sim-01's chart has {plotted} lines.");
        await AssertLabelsClearOfLinesAsync(page);

        // Throughput and backlog come from the stages and the store.
        await Assertions.Expect(page.Locator("#sink-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("connected"));
        await Assertions.Expect(page.Locator("#backlog-inbox")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));

        // No patient id by default: not on the page, not in any answer it reads, and no patient beside a device.
        Assert.DoesNotContain(PatientPrefix, await page.InnerTextAsync("body"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".vital-card .patient:visible").CountAsync());
        using var http = new HttpClient { BaseAddress = new Uri($"http://{module.DashboardEndPoint}/") };
        foreach (string api in new[] { "api/devices", "api/status", "api/deadletters", "api/throughput" })
        {
            string json = await http.GetStringAsync(api);
            Assert.DoesNotContain(PatientPrefix, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bedside_View_Shows_Patients_Flags_Values_Outside_Normal_Ranges_And_Devices_Gone_Silent()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(
            null,
            "--MedTechEdge:Simulator:Enabled=true",
            "--MedTechEdge:Simulator:IntervalMs=500",
            "--MedTechEdge:Dashboard:ShowPatientIds=true",
            "--MedTechEdge:Dashboard:NormalRanges:heartrate:Low=50",
            "--MedTechEdge:Dashboard:NormalRanges:heartrate:High=120",
            "--MedTechEdge:Dashboard:NormalRanges:spo2:Low=92",
            "--MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:systolic:Low=90",
            "--MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:systolic:High=140",
            "--MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:diastolic:Low=60",
            "--MedTechEdge:Dashboard:NormalRanges:bloodpressure:Values:diastolic:High=90");

        // Two bedside devices recorded as the Map stage records them, on the module's clock. bed-7 reports every 30 s
        // and was heard just now, its heart rate climbing out of range; bed-9 reported every second until two minutes ago.
        MeasurementTap tap = module.Services.GetRequiredService<MeasurementTap>();
        DateTime now = DateTime.UtcNow;
        double[] heartRates = [92, 98, 107, 124, 141];
        for (int i = 0; i < heartRates.Length; i++)
        {
            DateTime at = now.AddSeconds(30 * (i - heartRates.Length + 1));
            Record(tap, "bed-7", "patient-bed-7", "heartrate", at, ("hr", heartRates[i]));
            Record(tap, "bed-7", "patient-bed-7", "spo2", at, ("spo2", 97 - (i % 2)));
        }

        for (int i = 0; i < 20; i++)
        {
            Record(tap, "bed-9", "patient-bed-9", "heartrate", now.AddSeconds(-140 + i), ("hr", 70 + (i % 3)));
        }

        IPage page = await _chromium.NewPageAsync();
        await page.GotoAsync($"http://{module.DashboardEndPoint}/");
        var wait = new LocatorAssertionsToHaveTextOptions { Timeout = (float)s_timeout.TotalMilliseconds };

        // Patient context beside each device, where ShowPatientIds allows it.
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-7'] .patient")).ToHaveTextAsync("Patient patient-bed-7", wait);
        await Assertions.Expect(page.Locator(".vital-card[data-device='sim-01'] .patient")).ToHaveTextAsync("Patient patient-01", wait);

        // The heart rate of 141 is above the configured 50-120: coloured, and said in words; the SpO2 of 97 is not flagged.
        ILocator heartRate = page.Locator(".vital-card[data-device='bed-7'] .vital[data-type='heartrate']");
        await Assertions.Expect(heartRate.Locator(".value")).ToHaveTextAsync("141", wait);
        await Assertions.Expect(heartRate).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bout-of-range\b"));
        await Assertions.Expect(heartRate.Locator(".flag")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("above normal"));
        await Assertions.Expect(heartRate.Locator(".normal")).ToHaveTextAsync("normal 50\u2013120");
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-7'] .vital[data-type='spo2']")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("out-of-range"));
        Assert.True(await page.Locator(".vital-card[data-device='bed-7'] circle.out-of-range").CountAsync() >= 2, "the chart marks the points outside the range");

        // bed-9 has been silent for 140 s at its usual 1 s: no data; bed-7 at its usual 30 s is not.
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-9'] .no-data-badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^No data for .* \(usually every 1\.0 s\)$"), wait);
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-9']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bno-data\b"));
        await Assertions.Expect(page.Locator("#devices tr[data-device='bed-9'] .no-data-badge")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-7']")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("no-data"));
        await Assertions.Expect(page.Locator(".vital-card[data-device='bed-7'] .no-data-badge")).ToBeHiddenAsync();

        // The page says what it is not.
        await Assertions.Expect(page.Locator("#disclaimer")).ToContainTextAsync("A display aid, not an alarm system.");

        await AssertLabelsClearOfLinesAsync(page);
        await SaveScreenshotAsync(page);
    }

    private static void Record(MeasurementTap tap, string device, string patient, string type, DateTime atUtc, params (string Name, double Value)[] values)
    {
        var measurement = new Measurement { Type = type, DeviceId = device, PatientId = patient, OccurrenceTimeUtc = atUtc, IngestionTimeUtc = atUtc };
        foreach ((string name, double value) in values)
        {
            measurement.Properties.Add(new MeasurementProperty(name, value.ToString(CultureInfo.InvariantCulture)));
        }

        tap.Record(measurement, atUtc);
    }

    /// <summary>
    /// In every sparkline lane, the label's box lies outside the box of the lane's plotted lines and points: the label
    /// band sits above the plot, so no value can be drawn under a label.
    /// </summary>
    private static async Task AssertLabelsClearOfLinesAsync(IPage page)
    {
        string report = await page.EvaluateAsync<string>(
            """
            () => {
              const lanes = Array.from(document.querySelectorAll('.vitals-chart g.lane'));
              const overlaps = [];
              for (const lane of lanes) {
                const label = lane.querySelector('.lane-label').getBoundingClientRect();
                const plotted = Array.from(lane.querySelectorAll('.lane-line, .lane-point')).map(e => e.getBoundingClientRect());
                if (plotted.length === 0) { continue; }
                const region = {
                  left: Math.min(...plotted.map(r => r.left)), right: Math.max(...plotted.map(r => r.right)),
                  top: Math.min(...plotted.map(r => r.top)), bottom: Math.max(...plotted.map(r => r.bottom)),
                };
                const apart = label.right <= region.left || label.left >= region.right || label.bottom <= region.top || label.top >= region.bottom;
                if (!apart) {
                  overlaps.push(lane.closest('.vital-card').dataset.device + '/' + lane.dataset.type + ': label ' + JSON.stringify(label) + ' line ' + JSON.stringify(region));
                }
              }
              return JSON.stringify({ lanes: lanes.length, overlaps });
            }
            """);
        using JsonDocument result = JsonDocument.Parse(report);
        Assert.True(result.RootElement.GetProperty("lanes").GetInt32() >= 2, "no sparkline lanes: " + report);
        Assert.True(result.RootElement.GetProperty("overlaps").GetArrayLength() == 0, report);
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
        // Until the simulated monitor's chart carries a few seconds of data, so the picture shows lines rather than dots.
        await page.WaitForFunctionAsync("() => Array.from(document.querySelectorAll(\".vital-card[data-device='sim-01'] polyline.lane-line\")).every(l => l.points.numberOfItems >= 6)", null, new() { Timeout = (float)s_timeout.TotalMilliseconds });
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
