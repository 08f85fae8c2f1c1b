using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace MedTechEdge.TestPeers;

/// <summary>
/// Starts Debian's Mosquitto (/usr/sbin/mosquitto, installed by test.sh through apt) on a free loopback port with a
/// throw-away config: loopback listener, anonymous access, no persistence. Kills it on dispose.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    /// <summary>Path of the broker binary.</summary>
    public const string BrokerPath = "/usr/sbin/mosquitto";

    private Process? _process;
    private string? _directory;

    /// <summary>Host the broker listens on.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>Port the broker listens on (valid after <see cref="InitializeAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Directory holding mosquitto.conf and the log.</summary>
    public string Directory => _directory ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(BrokerPath))
        {
            throw new InvalidOperationException($"{BrokerPath} is missing: install it with 'apt-get install -y mosquitto mosquitto-clients' (test.sh does).");
        }

        _directory = System.IO.Directory.CreateTempSubdirectory("mosquitto-").FullName;
        Port = MosquittoPorts.GetFree();
        string config = Path.Combine(_directory, "mosquitto.conf");
        // 'user root' stops the privilege drop to 'mosquitto', which could not read a root-owned temp dir.
        await File.WriteAllTextAsync(config, $"""
            listener {Port} {Host}
            allow_anonymous true
            persistence false
            user root
            max_queued_messages 0
            log_dest stderr
            log_type error
            log_type warning
            """);
        var start = new ProcessStartInfo(BrokerPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await MosquittoPorts.WaitUntilListeningAsync(Host, Port, _process, TimeSpan.FromSeconds(10));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_directory is not null)
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>Loopback port helpers for test peers.</summary>
public static class MosquittoPorts
{
    /// <summary>A port the OS reports free right now.</summary>
    public static int GetFree()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Polls until a TCP connect succeeds; fails early when <paramref name="process"/> exits.</summary>
    public static async Task WaitUntilListeningAsync(string host, int port, Process? process, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"The peer exited with code {process.ExitCode} before listening on {port}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listens on {host}:{port} after {timeout.TotalSeconds} s.");
    }
}
