using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests;

/// <summary>
/// The built module as a separate OS process in a working folder of the test's, so tests can send it
/// Ctrl+C or SIGKILL the way an operator or a power cut would.
/// </summary>
internal sealed partial class ModuleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _metricsPort = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ModuleProcess(string folder, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        _folder = folder;
        ProcessStartInfo start = ModuleBuild.StartInfo(folder);
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the module on a free MQTT port and waits until the listener accepts connections.</summary>
    public static Task<ModuleProcess> StartAsync(string folder, params string[] args) => StartAsync(folder, null, args);

    /// <summary>With environment variables of its own, as the IoT Edge runtime gives a module.</summary>
    public static async Task<ModuleProcess> StartAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = new ModuleProcess(folder, ["--MedTechEdge:Mqtt:Port=0", "--MedTechEdge:Metrics:Port=0", .. args], environment);
        Task? finished = await StartedOrExitedAsync(process, process._port.Task);
        Assert.True(finished == process._port.Task, "the module did not start listening:\n" + process.Output);
        return process;
    }

    /// <summary>
    /// Starts the module with no MQTT listener (<c>Mqtt:Enabled=false</c>, a cloud instance that reads an event hub)
    /// and waits until its metrics endpoint listens and <c>/readyz</c> answers 200.
    /// </summary>
    public static async Task<ModuleProcess> StartWithoutMqttAsync(string folder, params string[] args)
    {
        var process = new ModuleProcess(folder, ["--MedTechEdge:Mqtt:Enabled=false", "--MedTechEdge:Metrics:Port=0", .. args]);
        Task? finished = await StartedOrExitedAsync(process, process._metricsPort.Task);
        Assert.True(finished == process._metricsPort.Task, "the module's metrics endpoint did not start:\n" + process.Output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.GetAsync(
            async () =>
            {
                Assert.False(process.HasExited, "the module exited:\n" + process.Output);
                try
                {
                    using HttpResponseMessage ready = await http.GetAsync(new Uri(process.MetricsUrl, "readyz"));
                    return ready.IsSuccessStatusCode ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            TimeSpan.FromSeconds(30),
            "/readyz to answer 200");
        return process;
    }

    public int MqttPort => _port.Task.Result;

    /// <summary>The module's process id, for what /proc says about it.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The names of the files the module has mapped now (/proc/&lt;pid&gt;/maps): the assemblies it loaded, among others.</summary>
    public string[] MappedFileNames() =>
        [.. File.ReadLines($"/proc/{ProcessId}/maps").Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).Distinct()];

    /// <summary>Whichever comes first, <paramref name="started"/> or the process's exit, within 30 s; null when neither did.</summary>
    private static async Task<Task?> StartedOrExitedAsync(ModuleProcess process, Task started)
    {
        try
        {
            return await Task.WhenAny(started, process._process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>The metrics and health endpoints' base URL (known once the module logged it).</summary>
    public Uri MetricsUrl => new($"http://127.0.0.1:{_metricsPort.Task.Result.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Ctrl+C, as a terminal sends it; waits for the exit.</summary>
    public async Task InterruptAsync()
    {
        using (Process kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // What the module said while it did not stop is the only clue to which part held it. A test run started
            // in the background by a non-interactive shell ignores SIGINT, and the module inherits that (POSIX: such
            // jobs start with SIGINT and SIGQUIT ignored, and an ignored signal stays ignored across exec).
            string inherited = SigIntIgnoredHere() ? " (this test process ignores SIGINT, and so does the module it started: run the tests from a shell with job control, or in the foreground)" : "";
            Assert.Fail($"the module did not exit within 30 s of Ctrl+C{inherited}:\n{Output}");
        }
    }

    private static bool SigIntIgnoredHere()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return (ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 1)) != 0;
            }
        }

        return false;
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping a container does, without waiting for the exit.</summary>
    public async Task TerminateAsync()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit on its own, within <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the module if it still runs, then has Firely check what its NDJSON sink wrote in its folder.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects a resource in the NDJSON output.</exception>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        FhirResourceAssert.NdjsonValid(_folder);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        Match match = ListeningLine().Match(line);
        if (match.Success)
        {
            _port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        Match metrics = MetricsLine().Match(line);
        if (metrics.Success)
        {
            _metricsPort.TrySetResult(int.Parse(metrics.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"accepting device connections on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Metrics on http://\S+:(\d+)/metrics")]
    private static partial Regex MetricsLine();
}
