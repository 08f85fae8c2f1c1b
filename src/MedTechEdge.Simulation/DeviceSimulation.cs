using System.Buffers;
using System.Globalization;

namespace MedTechEdge.Simulation;

/// <summary>
/// Simulated bedside and home devices sending MedTech-style JSON through an <see cref="IDeviceMessageTransport"/>.
/// Each device connects (retrying every <see cref="DeviceSimulationOptions.ReconnectDelay"/>), sends a message every
/// <see cref="DeviceSimulationOptions.Interval"/>, or <see cref="DeviceSimulationOptions.BurstSize"/> back to back
/// when a burst is due, and reconnects when its connection drops. With a seed, the devices, their clock skews, their
/// values and which messages are malformed are the same on every run (times come from the clock).
/// </summary>
public sealed class DeviceSimulation
{
    private readonly DeviceSimulationOptions _options;
    private readonly IDeviceMessageTransport _transport;
    private readonly SimulatedDevice[] _devices;

    /// <summary>Creates the devices; nothing connects before <see cref="RunAsync"/>. The caller owns <paramref name="transport"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="DeviceSimulationOptions.Check"/>).</exception>
    public DeviceSimulation(DeviceSimulationOptions options, IDeviceMessageTransport transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        options.Validate();
        _options = options;
        _transport = transport;
        _devices = CreateDevices(options);
    }

    /// <summary>Live counters.</summary>
    public DeviceSimulationStatistics Statistics { get; } = new();

    /// <summary>Device ids in order.</summary>
    public IReadOnlyList<string> DeviceIds => Array.ConvertAll(_devices, d => d.DeviceId);

    /// <summary>The devices, for tests that drive them without a transport.</summary>
    internal IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <summary>Runs every device until <paramref name="cancellationToken"/> is cancelled, then disconnects each cleanly.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new Task[_devices.Length];
        for (int i = 0; i < loops.Length; i++)
        {
            SimulatedDevice device = _devices[i];
            loops[i] = Task.Run(() => RunDeviceAsync(device, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    internal static SimulatedDevice[] CreateDevices(DeviceSimulationOptions options)
    {
        // Every random choice comes from this one stream, in a fixed order per device, so a seed fixes them all.
        var seeds = options.Seed is int seed ? new Random(seed) : new Random();
        var devices = new SimulatedDevice[options.DeviceCount];
        long maxSkewMs = (long)options.MaxClockSkew.TotalMilliseconds;
        for (int i = 0; i < devices.Length; i++)
        {
            string number = (i + 1).ToString("00", CultureInfo.InvariantCulture);
            DeviceKind kind = options.Kinds[i % options.Kinds.Count];
            var values = new Random(seeds.Next());
            var faults = new Random(seeds.Next());
            TimeSpan skew = TimeSpan.FromMilliseconds(seeds.NextInt64(-maxSkewMs, maxSkewMs + 1));
            devices[i] = SimulatedDevice.Create(kind, options.DeviceIdPrefix + number, options.PatientIdPrefix + number, skew, options, values, faults);
        }

        return devices;
    }

    private async Task RunDeviceAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var schedule = new BurstSchedule(_options.BurstEvery, _options.TimeProvider.GetUtcNow());
        try
        {
            while (await ConnectAsync(device, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SendLoopAsync(device, buffer, schedule, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await _transport.DisconnectAsync(device.DeviceId, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Sends until the connection is lost (returns) or the token is cancelled (throws).</summary>
    private async Task SendLoopAsync(SimulatedDevice device, ArrayBufferWriter<byte> buffer, BurstSchedule schedule, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _options.TimeProvider);
        do
        {
            DateTimeOffset now = _options.TimeProvider.GetUtcNow();
            int count = 1;
            if (schedule.IsDue(now))
            {
                count = _options.BurstSize;
                Interlocked.Increment(ref Statistics._bursts);
            }
            else if (device.HasNothingToSend(now))
            {
                count = 0;
            }

            for (int i = 0; i < count; i++)
            {
                buffer.ResetWrittenCount();
                if (device.WriteMessage(buffer, _options.TimeProvider.GetUtcNow()) != MessageForm.WellFormed)
                {
                    Interlocked.Increment(ref Statistics._malformed);
                }

                Interlocked.Increment(ref Statistics._published);
                bool accepted = await _transport.SendAsync(device.DeviceId, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref accepted ? ref Statistics._acknowledged : ref Statistics._failed);
                if (!accepted && !_transport.IsConnected(device.DeviceId))
                {
                    return;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Connects, retrying while the transport cannot; false when cancelled first.</summary>
    private async Task<bool> ConnectAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await _transport.ConnectAsync(device.DeviceId, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref Statistics._connects);
                return true;
            }

            await Task.Delay(_options.ReconnectDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>When the next burst is due: every <c>BurstEvery</c> from the start, a missed one not made up.</summary>
    private sealed class BurstSchedule(TimeSpan every, DateTimeOffset start)
    {
        private DateTimeOffset _next = start + every;

        public bool IsDue(DateTimeOffset now)
        {
            if (every <= TimeSpan.Zero || now < _next)
            {
                return false;
            }

            while (_next <= now)
            {
                _next += every;
            }

            return true;
        }
    }
}
