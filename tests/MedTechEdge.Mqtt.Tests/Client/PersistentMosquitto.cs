using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>
/// A Mosquitto that can be stopped and started again on the same port, keeping its sessions: <c>persistence true</c>
/// with the database in a temp dir. <see cref="StopAsync"/> sends SIGTERM, on which Mosquitto writes the database
/// (it saves on shutdown and every <c>autosave_interval</c>), so a restart resumes the subscriber's session with its
/// queued and unacknowledged messages. Optional username/password via a <c>mosquitto_passwd</c>-hashed file.
/// </summary>
internal sealed class PersistentMosquitto : IAsyncDisposable
{
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PersistentMosquitto(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Writes the config and, unless <paramref name="start"/> is false, starts the broker.</summary>
    /// <summary>Port of the TLS listener, when <c>CreateAsync</c> got certificates; 0 otherwise.</summary>
    public int TlsPort { get; private set; }

    public static async Task<PersistentMosquitto> CreateAsync(int? port = null, (string User, string Password)? credentials = null, bool start = true, TestCertificates? tls = null, bool requireClientCertificate = false)
    {
        if (!File.Exists(MosquittoFixture.BrokerPath))
        {
            throw new InvalidOperationException($"{MosquittoFixture.BrokerPath} is missing (test.sh installs it).");
        }

        string directory = Directory.CreateTempSubdirectory("mosquitto-persistent-").FullName;
        var broker = new PersistentMosquitto(directory, port ?? MosquittoPorts.GetFree());
        string access = "allow_anonymous true";
        if (credentials is { } c)
        {
            string passwords = Path.Combine(directory, "passwords");
            MosquittoClientResult hashed = await MosquittoClients.RunAsync("/usr/bin/mosquitto_passwd", ["-c", "-b", passwords, c.User, c.Password], TimeSpan.FromSeconds(10));
            Assert.True(hashed.ExitCode == 0, $"mosquitto_passwd: {hashed.StandardError}");
            access = $"allow_anonymous false\npassword_file {passwords}";
        }

        if (tls is not null)
        {
            // A second listener; per_listener_settings is false, so both take the same access rules.
            broker.TlsPort = MosquittoPorts.GetFree();
            access += $"\nlistener {broker.TlsPort} {broker.Host}\ncafile {tls.CaFile}\ncertfile {tls.ServerCertificateFile}\nkeyfile {tls.ServerKeyFile}\nrequire_certificate {(requireClientCertificate ? "true" : "false")}";
        }

        // 'user root' stops the privilege drop to 'mosquitto', which could not write a root-owned temp dir.
        await File.WriteAllTextAsync(Path.Combine(directory, "mosquitto.conf"), $"""
            listener {broker.Port} {broker.Host}
            {access}
            persistence true
            persistence_location {directory}/
            autosave_interval 1
            user root
            max_queued_messages 0
            log_dest stderr
            log_type error
            log_type warning
            """);
        if (start)
        {
            await broker.StartAsync();
        }

        return broker;
    }

    public async Task StartAsync()
    {
        Assert.True(_process is null or { HasExited: true }, "The broker is already running.");
        _process?.Dispose();
        var start = new ProcessStartInfo(MosquittoFixture.BrokerPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(_directory, "mosquitto.conf"));
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await MosquittoPorts.WaitUntilListeningAsync(Host, Port, process, TimeSpan.FromSeconds(10));
        if (TlsPort != 0)
        {
            await MosquittoPorts.WaitUntilListeningAsync(Host, TlsPort, process, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>SIGTERM and wait: Mosquitto closes every connection and saves its database.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            MosquittoClientResult kill = await MosquittoClients.RunAsync("/bin/kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            Assert.Equal(0, kill.ExitCode);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
