using System.Diagnostics;
using System.Globalization;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// <c>memory</c> mode's devices: many MQTT 5 connections from this process, each a device of its own with Keep Alive
/// on (60 s, the client's default), either idle or publishing heart rates at QoS 1 at a fixed rate. The publishes are
/// paced on one clock (each device in its own slot of the period), not as fast as the broker acknowledges, so a
/// broker that falls behind shows as a lower acknowledged rate and a fuller window, not as a slower offered load.
/// </summary>
internal sealed class MemoryFleet : IAsyncDisposable
{
    // Connections opened at once: enough to fill 10,000 in seconds, few enough not to overflow the listen backlog.
    private const int ConnectConcurrency = 64;

    // A device with this many publishes unacknowledged skips its next one (and it is counted): the module's Receive Maximum.
    private const int Window = 64;

    private readonly MqttClient[] _clients;
    private readonly int[] _inFlight;
    private readonly string _run;
    private long _acknowledged;
    private long _refused;
    private long _skipped;

    private MemoryFleet(MqttClient[] clients, string run)
    {
        _clients = clients;
        _inFlight = new int[clients.Length];
        _run = run;
    }

    public int Count => _clients.Length;

    /// <summary>Publishes the broker acknowledged with success.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Publishes the broker refused, or whose connection closed before the acknowledgement.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Publishes not offered because their device's window was full: the broker was behind.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>
    /// Connects <paramref name="devices"/> devices (<c>{run}-{i}</c>) to <paramref name="port"/>. A broker that stops
    /// accepting (a module that ran out of memory) ends the attempt: the fleet is then the devices that did connect, and
    /// <see cref="ConnectFailure"/> says why the others did not.
    /// </summary>
    public static async Task<MemoryFleet> ConnectAsync(int port, int devices, string run)
    {
        var clients = new MqttClient?[devices];
        int next = -1;
        string? failure = null;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(ConnectConcurrency, devices)).Select(async _ =>
        {
            int i;
            while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < devices)
            {
                var client = new MqttClient();
                try
                {
                    MqttConnectResult result = await client.ConnectAsync(new MqttClientOptions { Port = port, ClientId = DeviceId(run, i), ProtocolVersion = MqttProtocolVersion.V500 }, CancellationToken.None);
                    if (!result.IsSuccess)
                    {
                        throw new InvalidOperationException($"CONNECT refused: {result.ReasonCode}");
                    }

                    clients[i] = client;
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.CompareExchange(ref failure, $"device {i}: {ex.Message}", null);
                    await client.DisposeAsync();
                }
            }
        }));
        return new MemoryFleet([.. clients.Where(c => c is not null).Select(c => c!)], run) { ConnectFailure = failure };
    }

    /// <summary>Why not every device connected; null when they all did.</summary>
    public string? ConnectFailure { get; private init; }

    /// <summary>
    /// Publishes <paramref name="perSecond"/> messages a second from every device until <paramref name="until"/> is
    /// cancelled; device i sends in slot i of each period, so the load is even over the second.
    /// </summary>
    public async Task PublishAsync(double perSecond, CancellationToken until)
    {
        long periodTicks = (long)(Stopwatch.Frequency / perSecond);
        long start = Stopwatch.GetTimestamp();
        int[] sequence = new int[_clients.Length];
        long sent = 0;
        while (!until.IsCancellationRequested)
        {
            // Catch up with every slot that is due: a late wake-up sends late, never less.
            long due = (long)((double)(Stopwatch.GetTimestamp() - start) / periodTicks * _clients.Length);
            for (; sent < due; sent++)
            {
                int device = (int)(sent % _clients.Length);
                Publish(device, sequence[device]++);
            }

            try
            {
                await Task.Delay(5, until);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Publish(int device, int sequence)
    {
        if (Interlocked.Increment(ref _inFlight[device]) > Window)
        {
            Interlocked.Decrement(ref _inFlight[device]);
            Interlocked.Increment(ref _skipped);
            return;
        }

        string id = DeviceId(_run, device);
        _ = _clients[device].PublishAsync("devices/" + id + "/messages/events/", Body(id, sequence), MqttQualityOfServiceLevel.AtLeastOnce)
            .ContinueWith(
                (task, state) =>
                {
                    var (fleet, index) = ((MemoryFleet, int))state!;
                    Interlocked.Decrement(ref fleet._inFlight[index]);
                    Interlocked.Increment(ref task.IsCompletedSuccessfully && task.Result.IsSuccess ? ref fleet._acknowledged : ref fleet._refused);
                },
                (this, device),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
    }

    /// <summary>Waits until no publish is in flight (every one acknowledged or refused), or the deadline.</summary>
    public async Task DrainAsync(TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline && AnyInFlight())
        {
            await Task.Delay(50);
        }
    }

    private bool AnyInFlight()
    {
        for (int i = 0; i < _inFlight.Length; i++)
        {
            if (Volatile.Read(ref _inFlight[i]) > 0)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_clients.Select(async c =>
        {
            try
            {
                await c.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // The broker is gone already (a case that ended it).
            }
        }));
    }

    private static string DeviceId(string run, int device) => run + "-" + device.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A heart rate the bundled mappings turn into one Observation; each device's times one second apart, well in the
    /// past so no clock-skew guard refuses them.
    /// </summary>
    private static byte[] Body(string device, int sequence) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"deviceId":"{{device}}","patientId":"patient-{{device}}","measurementTime":"{{BenchDeviceMessages.Start.AddSeconds(sequence):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + (sequence % 40)}}}"""));
}
