using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// Mosquitto (/usr/sbin/mosquitto) on a free loopback port, persistence off and no connection limit: <c>memory</c>
/// mode's scale, what a native broker holds for the same devices (without the module's durable inbox and pipeline).
/// </summary>
internal sealed class MemoryMosquitto : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private MemoryMosquitto(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public static async Task<MemoryMosquitto> StartAsync()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-bench-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        int port = FreePort();
        string config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture,
            $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nlog_dest none\n"));
        Process process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var mosquitto = new MemoryMosquitto(process, folder, port);
        var clock = Stopwatch.StartNew();
        while (!await ListensAsync(port))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                string error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no listener after 10 s";
                await mosquitto.DisposeAsync();
                throw new InvalidOperationException("Mosquitto did not start: " + error);
            }

            await Task.Delay(50);
        }

        return mosquitto;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
