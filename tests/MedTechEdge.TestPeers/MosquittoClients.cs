using System.Diagnostics;
using System.Text;

namespace MedTechEdge.TestPeers;

/// <summary>Result of running a Mosquitto command-line client.</summary>
/// <param name="ExitCode">Process exit code; -1 when it was killed at the timeout.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
/// <param name="TimedOut">True when the process was killed at the timeout.</param>
public sealed record MosquittoClientResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut);

/// <summary>Runs /usr/bin/mosquitto_pub and /usr/bin/mosquitto_sub as processes.</summary>
public static class MosquittoClients
{
    /// <summary>Path of mosquitto_pub.</summary>
    public const string PublisherPath = "/usr/bin/mosquitto_pub";

    /// <summary>Path of mosquitto_sub.</summary>
    public const string SubscriberPath = "/usr/bin/mosquitto_sub";

    /// <summary>Runs mosquitto_pub with the given arguments and waits for it.</summary>
    public static Task<MosquittoClientResult> PublishAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync(PublisherPath, arguments, timeout);

    /// <summary>Runs mosquitto_sub with the given arguments and waits for it (use -C or -W so it ends).</summary>
    public static Task<MosquittoClientResult> SubscribeAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync(SubscriberPath, arguments, timeout);

    /// <summary>Starts a process that keeps running (e.g. mosquitto_sub without -C); the caller kills it.</summary>
    public static RunningMosquittoClient Start(string path, params string[] arguments) => new(path, arguments);

    /// <summary>Runs any binary with arguments, capturing output; kills it at the timeout.</summary>
    public static async Task<MosquittoClientResult> RunAsync(string path, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var running = new RunningMosquittoClient(path, arguments);
        return await running.WaitAsync(timeout);
    }
}

/// <summary>A started client process whose output is being captured.</summary>
public sealed class RunningMosquittoClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    internal RunningMosquittoClient(string path, IEnumerable<string> arguments)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install it with 'apt-get install -y mosquitto-clients' (test.sh does).");
        }

        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>Lines written to stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    /// <summary>Waits for exit, killing the process at the timeout.</summary>
    public async Task<MosquittoClientResult> WaitAsync(TimeSpan timeout)
    {
        bool timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        // The parameterless wait flushes the asynchronous output readers.
        await _process.WaitForExitAsync();
        string stdout;
        string stderr;
        lock (_stdout)
        {
            stdout = _stdout.ToString();
        }

        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new MosquittoClientResult(timedOut ? -1 : _process.ExitCode, stdout, stderr, timedOut);
    }

    /// <summary>Kills the process at once (SIGKILL): no DISCONNECT is sent, so a will is published.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
