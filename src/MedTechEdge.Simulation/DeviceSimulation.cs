using System.Buffers;
using System.Globalization;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Simulation;

/// <summary>
/// Simulated bedside devices publishing JSON readings over MQTT, one connection per device (client id = device id).
/// Each device connects, retrying every <see cref="DeviceSimulationOptions.ReconnectDelay"/> while the broker is not
/// up, publishes a reading every <see cref="DeviceSimulationOptions.Interval"/>, and reconnects when the connection drops.
/// Example payload: {"deviceId":"sim-01","patientId":"patient-01","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72}.
/// </summary>
public sealed class DeviceSimulation
{
    private readonly DeviceSimulationOptions _options;
    private readonly SimulatedDevice[] _devices;

    /// <summary>Creates the devices; nothing connects before <see cref="RunAsync"/>.</summary>
    public DeviceSimulation(DeviceSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DeviceCount, 1);
        _options = options;
        var seeds = options.Seed is int seed ? new Random(seed) : new Random();
        _devices = new SimulatedDevice[options.DeviceCount];
        for (int i = 0; i < _devices.Length; i++)
        {
            string number = (i + 1).ToString("00", CultureInfo.InvariantCulture);
            _devices[i] = new SimulatedDevice(options.DeviceIdPrefix + number, options.PatientIdPrefix + number, (DeviceKind)(i % 4), new Random(seeds.Next()));
        }
    }

    /// <summary>Live counters.</summary>
    public DeviceSimulationStatistics Statistics { get; } = new();

    /// <summary>Device ids in order.</summary>
    public IReadOnlyList<string> DeviceIds => Array.ConvertAll(_devices, d => d.DeviceId);

    /// <summary>Runs every device until <paramref name="cancellationToken"/> is cancelled, then disconnects cleanly.</summary>
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

    private async Task RunDeviceAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        string topic = _options.TopicPattern.Replace("{deviceId}", device.DeviceId, StringComparison.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(256);
        while (!cancellationToken.IsCancellationRequested)
        {
            MqttClient? client = await ConnectAsync(device, cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return;
            }

            try
            {
                await PublishLoopAsync(client, device, topic, buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // Connection lost: fall through to reconnect.
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            finally
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task PublishLoopAsync(MqttClient client, SimulatedDevice device, string topic, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        do
        {
            buffer.ResetWrittenCount();
            device.WriteReading(buffer, _options.TimeProvider.GetUtcNow());
            Interlocked.Increment(ref Statistics._published);
            MqttPublishResult result = await client.PublishAsync(topic, buffer.WrittenMemory, _options.QoS, retain: false, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref result.IsSuccess ? ref Statistics._acknowledged : ref Statistics._failed);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<MqttClient?> ConnectAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = new MqttClient();
            try
            {
                var options = new MqttClientOptions
                {
                    Host = _options.Host,
                    Port = _options.Port,
                    ClientId = device.DeviceId,
                    ProtocolVersion = _options.ProtocolVersion,
                    KeepAlive = TimeSpan.FromSeconds(30),
                    Timeout = TimeSpan.FromSeconds(5),
                };
                MqttConnectResult result = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess)
                {
                    Interlocked.Increment(ref Statistics._connects);
                    return client;
                }
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                // Broker not up yet.
            }
            catch (OperationCanceledException)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            await client.DisposeAsync().ConfigureAwait(false);
            try
            {
                await Task.Delay(_options.ReconnectDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }
}
