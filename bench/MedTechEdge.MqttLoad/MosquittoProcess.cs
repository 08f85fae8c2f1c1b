using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MedTechEdge.MqttLoad;

/// <summary>The baseline broker: Mosquitto without persistence, on a free loopback port, with no limits on in-flight or queued messages.</summary>
internal sealed class MosquittoProcess(Process process, int port) : BrokerProcess(process, port), IDisposable
{
    private bool _disposed;

    /// <summary>Starts Mosquitto with its configuration written into <paramref name="folder"/>.</summary>
    public static MosquittoProcess Start(string folder)
    {
        int port = FreePort();
        string config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 0\nmax_queued_messages 0\nlog_dest none\n");
        return new MosquittoProcess(Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!, port);
    }

    /// <summary>Throws with Mosquitto's own words when it exited (a port taken, a bad configuration).</summary>
    public void EnsureRunning()
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException("mosquitto exited: " + Process.StandardError.ReadToEnd());
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
