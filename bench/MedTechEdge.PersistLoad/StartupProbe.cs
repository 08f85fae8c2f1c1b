using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// One start of a published program, timed from just before the process is created to its first answer on a URL
/// (and to the first 200 there), polled every <see cref="PollInterval"/>, or to its exit for a program that only prints.
/// </summary>
internal static class StartupProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly HttpClient s_http = new(new SocketsHttpHandler
    {
        // Every poll on a fresh connection, as a probe makes it: nothing waits in a pool for a process that died.
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>When a start answered: its liveness endpoint's first 200 (the process serves HTTP), and the readiness endpoint's.</summary>
    public readonly record struct Timing(TimeSpan Alive, TimeSpan Ready);

    /// <summary>
    /// A loopback port free now, below the system's ephemeral range: the probe's own connections (a new one every few
    /// milliseconds) take client ports from that range, and one could take a port chosen there before the program binds it.
    /// </summary>
    public static int FreePort()
    {
        int below = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            int port = Random.Shared.Next(10_000, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="start"/>, polls <paramref name="alive"/> until it answers 200, then <paramref name="ready"/>
    /// until it does, then kills the process tree.
    /// </summary>
    public static async Task<Timing> UntilReadyAsync(ProcessStartInfo start, Uri alive, Uri ready)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var output = new Queue<string>();
        long began = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            TimeSpan answered = await PollAsync(process, began, alive, output);
            return new Timing(answered, alive == ready ? answered : await PollAsync(process, began, ready, output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    private static async Task<TimeSpan> PollAsync(Process process, long began, Uri url, Queue<string> output)
    {
        while (true)
        {
            TimeSpan elapsed = Stopwatch.GetElapsedTime(began);
            if (process.HasExited || elapsed > Deadline)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not answer 200 at {url} after {elapsed.TotalSeconds:F1} s (exited: {process.HasExited}). Its last lines:\n{Lines(output)}");
            }

            if (await TryGetAsync(url) == HttpStatusCode.OK)
            {
                return Stopwatch.GetElapsedTime(began);
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Starts <paramref name="start"/> and waits for it to exit with code 0: the runtime's floor, start to end.</summary>
    public static async Task<TimeSpan> UntilExitAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        long began = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(began);
        return process.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"{start.FileName} exited with {process.ExitCode}: {await stdout}");
    }

    private static async Task<HttpStatusCode?> TryGetAsync(Uri url)
    {
        try
        {
            using HttpResponseMessage response = await s_http.GetAsync(url);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return null;
        }
    }

    private static void Keep(Queue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > 40)
            {
                output.Dequeue();
            }
        }
    }

    private static string Lines(Queue<string> output)
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
    }
}
