using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The built module (modules/MedTechEdge) as an OS process of its own, in a working folder of its own with its own
/// store, as it runs in production: its CPU time is then its own (<see cref="ProcessorTime"/>), apart from the peers
/// and the load this tool generates. The ports come from its log (both are 0, so the OS chooses).
/// </summary>
internal sealed partial class ModuleProcess : IAsyncDisposable
{
    // Enough of the module's output to say why a case failed, not the whole run's.
    private const int KeptLines = 200;

    // Modules still running when this tool exits (Ctrl+C, a failed case): killed then, so none is left orphaned
    // reading the hub or holding its folder.
    private static readonly ConcurrentDictionary<Process, byte> s_running = new();

    private readonly Process _process;
    private readonly string _folder;
    private bool _ownsFolder = true;
    private readonly Queue<string> _lines = new();
    private readonly TaskCompletionSource<int> _metricsPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _mqttPort = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ModuleProcess(string dll, string folder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        _folder = folder;
        // A .dll runs on the shared framework through the muxer; anything else is the executable of a self-contained
        // publish (its own runtime beside it, e.g. a trimmed one), run as it is.
        bool frameworkDependent = dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(frameworkDependent ? "dotnet" : dll) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        // Warnings and errors, plus the two Information lines that name the ports: the console costs the module CPU.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__MedTechEdge.Observability"] = "Information";
        start.Environment["Logging__LogLevel__MedTechEdge.Ingress.MqttListenerService"] = "Information";
        if (frameworkDependent)
        {
            start.ArgumentList.Add(dll);
        }

        start.ArgumentList.Add("--MedTechEdge:Metrics:Port=0");
        start.ArgumentList.Add("--MedTechEdge:Mqtt:Port=0");
        start.ArgumentList.Add("--MedTechEdge:Dashboard:Enabled=false");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        s_running[_process] = 0;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    // Ctrl+C and SIGTERM as well as a normal exit: the runtime's own handling of the signals does not reach ProcessExit
    // while the main task is still awaiting.
    private static readonly PosixSignalRegistration[] s_signals =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillRunning()),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillRunning()),
    ];

    static ModuleProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillRunning();

    /// <summary>CPU time the module has used since it started, all threads, user and system.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>CPU time the module had used when its endpoints listened: the host's start-up, and the JIT's.</summary>
    public TimeSpan StartupProcessorTime { get; private set; }

    public Uri MetricsUrl => new($"http://127.0.0.1:{_metricsPort.Task.Result}/metrics");

    public int MqttPort => _mqttPort.Task.Result;

    public bool HasExited => _process.HasExited;

    /// <summary>The module's process id, for /proc readings (memory mode).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The module's working folder: its store is <c>data/medtechedge.db</c>, the NDJSON sink's files <c>data/fhir</c>.</summary>
    public string Folder => _folder;

    /// <summary>The last lines the module wrote, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    private static void KillRunning()
    {
        foreach (Process process in s_running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited, or was disposed, in the meantime.
            }
        }
    }

    /// <summary>
    /// Starts the module in a fresh folder under the temp directory and waits until its metrics endpoint listens (and
    /// its MQTT listener, when <paramref name="mqtt"/>).
    /// </summary>
    public static Task<ModuleProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, bool mqtt) =>
        StartAsync(dll, environment, args, mqtt, folder: null);

    /// <summary>
    /// As above, in <paramref name="folder"/> when given: the caller's, kept after the module ends (memory-limit mode
    /// restarts a module on the store its predecessor left, then reads its output).
    /// </summary>
    public static async Task<ModuleProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, bool mqtt, string? folder)
    {
        bool owned = folder is null;
        folder ??= Path.Combine(Path.GetTempPath(), "medtechedge-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var module = new ModuleProcess(dll, folder, environment, args) { _ownsFolder = owned };
        Task ready = mqtt ? Task.WhenAll(module._metricsPort.Task, module._mqttPort.Task) : module._metricsPort.Task;
        Task first = await Task.WhenAny(ready, module._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready)
        {
            string output = module.Output;
            await module.DisposeAsync();
            throw new ModuleStartException(output);
        }

        module.StartupProcessorTime = module.ProcessorTime;
        return module;
    }

    /// <summary>Reads one scrape of /metrics.</summary>
    public async Task<ModuleScrape> ScrapeAsync(HttpClient http) =>
        new(await http.GetStringAsync(MetricsUrl).ConfigureAwait(false));

    /// <summary>Kills the module (its store is thrown away with its folder) and removes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        s_running.TryRemove(_process, out _);
        _process.Dispose();
        if (_ownsFolder)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }

        if (MetricsLine().Match(line) is { Success: true } metrics)
        {
            _metricsPort.TrySetResult(int.Parse(metrics.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        else if (MqttLine().Match(line) is { Success: true } mqtt)
        {
            _mqttPort.TrySetResult(int.Parse(mqtt.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Metrics on http://[0-9.]+:(\d+)/metrics")]
    private static partial Regex MetricsLine();

    [GeneratedRegex(@"accepting device connections on [0-9.]+:(\d+)")]
    private static partial Regex MqttLine();
}
