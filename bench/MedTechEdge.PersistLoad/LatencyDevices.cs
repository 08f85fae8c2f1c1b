using System.Diagnostics;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The simulated devices: one MQTT 5 connection each (the repo's <see cref="MqttClient"/>), each with its own client
/// and device id, publishing at QoS 1. <see cref="RunAsync"/> paces the whole population open-loop at a total rate:
/// message <c>seq</c> is sent by device <c>seq % count</c> when it is due, whether or not earlier ones are acknowledged.
/// </summary>
internal sealed class LatencyDevices : IAsyncDisposable
{
    private const int ConnectingAtOnce = 32;

    private readonly MqttClient[] _clients;
    private readonly string[] _ids;
    private readonly string[] _topics;
    private readonly string[] _references;

    private LatencyDevices(string run, int count)
    {
        _clients = new MqttClient[count];
        _ids = new string[count];
        _topics = new string[count];
        _references = new string[count];
        for (int i = 0; i < count; i++)
        {
            _ids[i] = LatencyMessages.DeviceId(run, i);
            _topics[i] = LatencyMessages.Topic(_ids[i]);
            _references[i] = LatencyMessages.DeviceReference(_ids[i]);
        }
    }

    public int Count => _clients.Length;

    public static async Task<LatencyDevices> ConnectAsync(int port, string run, int count)
    {
        var devices = new LatencyDevices(run, count);
        using var gate = new SemaphoreSlim(ConnectingAtOnce);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var client = new MqttClient();
                MqttConnectResult result = await client.ConnectAsync(
                    new MqttClientOptions { Port = port, ClientId = devices._ids[i], ProtocolVersion = MqttProtocolVersion.V500, KeepAlive = TimeSpan.FromMinutes(5) },
                    CancellationToken.None);
                devices._clients[i] = result.IsSuccess ? client : throw new InvalidOperationException($"CONNECT of {devices._ids[i]} refused: {result.ReasonCode}");
            }
            finally
            {
                gate.Release();
            }
        }));
        return devices;
    }

    /// <summary>
    /// One message per device, outside the timed run: the module creates each device's Patient and Device (Create mode)
    /// and the JIT compiles its paths before the clock starts.
    /// </summary>
    public async Task WarmUpAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
        {
            MqttPublishResult result = await _clients[i].PublishAsync(_topics[i], LatencyMessages.Body(_ids[i], i, warmUp: true, waveTime: null), MqttQualityOfServiceLevel.AtLeastOnce);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException("The module refused a warm-up publish: " + result.ReasonCode);
            }
        }));
    }

    /// <summary>
    /// Sends the ledger's messages on schedule from a thread of its own and notes each PUBACK. <paramref name="wave"/>
    /// says which messages also carry a SampledData reading (and of which burst), or -1.
    /// </summary>
    public async Task RunAsync(LatencyLedger ledger, Func<int, int> wave)
    {
        var acknowledgements = new Task[ledger.Count];
        DateTime wallStart = DateTime.UtcNow;
        ledger.Start = Stopwatch.GetTimestamp();
        var pacer = new Thread(() =>
        {
            int next = 0;
            while (next < ledger.Count)
            {
                long elapsed = Stopwatch.GetTimestamp() - ledger.Start;
                int due = (int)Math.Min(ledger.Count, (elapsed * ledger.Rate / Stopwatch.Frequency) + 1);
                for (; next < due; next++)
                {
                    acknowledgements[next] = PublishAsync(ledger, next, wave(next), wallStart);
                }

                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "latency pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Task.WhenAll(acknowledgements);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (MqttClient client in _clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    private async Task PublishAsync(LatencyLedger ledger, int seq, int burst, DateTime wallStart)
    {
        int device = seq % Count;
        DateTime? waveTime = null;
        if (burst >= 0)
        {
            // The reading's own time is its scheduled send on the wall clock, to the millisecond the window stores.
            DateTime at = wallStart.AddTicks((ledger.Scheduled(seq) - ledger.Start) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            waveTime = new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
            ledger.WaveSent(_references[device], waveTime.Value, seq, burst);
        }

        MqttPublishResult result = await _clients[device].PublishAsync(_topics[device], LatencyMessages.Body(_ids[device], seq, warmUp: false, waveTime), MqttQualityOfServiceLevel.AtLeastOnce).ConfigureAwait(false);
        ledger.Acked(seq, Stopwatch.GetTimestamp(), result.IsSuccess);
    }
}
