using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// The <c>flood</c> case (issue 12, item 3): a broker with a credentials file, measured idle and then while
/// <c>flooders</c> concurrent loops send CONNECTs with wrong passwords, in one run. Three series per phase:
/// a legitimate device reconnecting (its password checked before, as a device that drops and comes back),
/// a device connecting for the first time (a user never seen, so a full PBKDF2 check), and QoS 1 PUBACK latency of a
/// device that stays connected, one PUBLISH every 20 ms.
/// </summary>
internal static class FloodRun
{
    public const int FreshUsers = 600;
    public const string Password = "right-password";

    public static async Task<FloodPhase> MeasureAsync(int port, TimeSpan duration, int flooders, IPAddress[] floodFrom, int firstFreshUser)
    {
        using var stop = new CancellationTokenSource();
        long floodAttempts = 0;
        var floods = new Task[flooders];
        for (int i = 0; i < flooders; i++)
        {
            int index = i;
            floods[i] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await BadConnectAsync(port, floodFrom[index % floodFrom.Length], index, stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref floodAttempts);
                }
            });
        }

        MqttClient session = await ConnectAsync(port, "steady", "mon-steady").ConfigureAwait(false)
            ?? throw new InvalidOperationException("The steady device could not connect.");
        Task<List<double>> pubAcks = PublishLoopAsync(session, stop.Token);
        Task<ConnectSeries> reconnects = ConnectLoopAsync(port, _ => "mon-steady", stop.Token);
        Task<ConnectSeries> firstTimes = ConnectLoopAsync(port, n => "new-" + (firstFreshUser + n).ToString(CultureInfo.InvariantCulture), stop.Token);

        await Task.Delay(duration).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        var result = new FloodPhase(await reconnects.ConfigureAwait(false), await firstTimes.ConfigureAwait(false), await pubAcks.ConfigureAwait(false), Interlocked.Read(ref floodAttempts));
        await Task.WhenAll(floods).ConfigureAwait(false);
        await session.DisconnectAsync().ConfigureAwait(false);
        await session.DisposeAsync().ConfigureAwait(false);
        return result;
    }

    private static async Task<List<double>> PublishLoopAsync(MqttClient session, CancellationToken stop)
    {
        var latencies = new List<double>();
        byte[] payload = Encoding.UTF8.GetBytes("""{"deviceId":"mon-steady","heartRate":72}""");
        while (!stop.IsCancellationRequested)
        {
            long started = Stopwatch.GetTimestamp();
            MqttPublishResult result = await session.PublishAsync("devices/mon-steady/messages/events/", payload, MqttQualityOfServiceLevel.AtLeastOnce).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException("PUBACK " + result.ReasonCode);
            }

            await Pause(20, stop).ConfigureAwait(false);
        }

        return latencies;
    }

    private static async Task<ConnectSeries> ConnectLoopAsync(int port, Func<int, string> user, CancellationToken stop)
    {
        var series = new ConnectSeries([], []);
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            long started = Stopwatch.GetTimestamp();
            MqttClient? client = await ConnectAsync(port, "legit-" + Guid.NewGuid().ToString("N"), user(n), series.Refusals).ConfigureAwait(false);
            if (client is not null)
            {
                series.Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await client.DisconnectAsync().ConfigureAwait(false);
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await Pause(200, stop).ConfigureAwait(false);
        }

        return series;
    }

    private static async Task<MqttClient?> ConnectAsync(int port, string clientId, string username, List<string>? refusals = null)
    {
        var client = new MqttClient();
        MqttConnectResult result = await client.ConnectAsync(
            new MqttClientOptions { Port = port, ClientId = clientId, Username = username, Password = Password, ProtocolVersion = MqttProtocolVersion.V500, Timeout = TimeSpan.FromSeconds(30) },
            CancellationToken.None).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            refusals?.Add(result.ReasonCode.ToString());
            return null;
        }

        return client;
    }

    /// <summary>One bad CONNECT (3.1.1, a known user or a guessed one, wrong password) from <paramref name="from"/>; waits for CONNACK or close.</summary>
    private static async Task BadConnectAsync(int port, IPAddress from, int index, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), stop).ConfigureAwait(false);
            await socket.SendAsync(Connect(index % 2 == 0 ? "mon-steady" : "guess-" + index, "wrong-" + index), SocketFlags.None, stop).ConfigureAwait(false);
            var answer = new byte[4];
            await socket.ReceiveAsync(answer, SocketFlags.None, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Refused or reset under load, or the phase ended: the next attempt follows.
        }
    }

    /// <summary>CONNECT 3.1.1 with user name and password and Clean Session (flags 0xC2).</summary>
    private static byte[] Connect(string username, string password)
    {
        var body = new List<byte> { 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0xC2, 0x00, 60 };
        foreach (string field in new[] { "flood-" + Guid.NewGuid().ToString("N")[..8], username, password })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        return [0x10, (byte)body.Count, .. body];
    }

    private static async Task Pause(int milliseconds, CancellationToken stop)
    {
        try
        {
            await Task.Delay(milliseconds, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // End of the phase.
        }
    }

    /// <summary>The credentials file of the run: the steady device and <see cref="FreshUsers"/> users that connect once each.</summary>
    public static void WriteCredentials(string path)
    {
        // The default iteration count: each check costs what it costs in the module.
        var lines = new string[FreshUsers + 1];
        lines[0] = Mqtt.Security.MqttPasswordHash.CreateLine("mon-steady", Password);
        Parallel.For(0, FreshUsers, i => lines[i + 1] = Mqtt.Security.MqttPasswordHash.CreateLine("new-" + i.ToString(CultureInfo.InvariantCulture), Password));
        File.WriteAllLines(path, lines);
    }
}

/// <summary>CONNECT latencies of accepted attempts (ms), and the reason codes of refused ones.</summary>
internal sealed record ConnectSeries(List<double> Latencies, List<string> Refusals)
{
    public ConnectSeries Add(ConnectSeries other) => new([.. Latencies, .. other.Latencies], [.. Refusals, .. other.Refusals]);
}

/// <summary>Latencies of one phase, in milliseconds, and how many bad CONNECTs the flood got through.</summary>
internal sealed record FloodPhase(ConnectSeries Reconnects, ConnectSeries FirstConnects, List<double> PubAcks, long FloodAttempts)
{
    public FloodPhase Add(FloodPhase other) =>
        new(Reconnects.Add(other.Reconnects), FirstConnects.Add(other.FirstConnects), [.. PubAcks, .. other.PubAcks], FloodAttempts + other.FloodAttempts);

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }
}
