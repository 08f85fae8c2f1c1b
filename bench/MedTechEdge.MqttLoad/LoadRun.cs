using System.Diagnostics;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.MqttLoad;

/// <summary>
/// One measurement: <c>clients</c> connections publish <c>messages</c> in total, each keeping up to
/// <c>window</c> publishes in flight, ~250-byte JSON payloads. Throughput counts acknowledged messages
/// (QoS 1) or sent messages (QoS 0); latency is publish-to-PUBACK.
/// </summary>
internal static class LoadRun
{
    /// <param name="mappable">
    /// Null: the vitals message of the ingest cases (one fixed time). Else a run name: each message is a heart rate
    /// that the bundled device mapping turns into exactly one Observation, from device <c>{run}-{client}</c> at a time of
    /// its own, so no two messages of a module's life share an Observation id (see <see cref="MappablePayload"/>).
    /// </param>
    public static async Task<LoadResult> RunAsync(int port, int clients, MqttQualityOfServiceLevel qos, int messages, int window, MqttProtocolVersion protocol = MqttProtocolVersion.V500, string? mappable = null)
    {
        var connections = new MqttClient[clients];
        for (int c = 0; c < clients; c++)
        {
            connections[c] = await ConnectAsync(port, c, protocol);
        }

        int perClient = messages / clients;
        var latencies = new long[perClient * clients];
        var clock = Stopwatch.StartNew();
        var runs = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            int client = c;
            runs[c] = Task.Run(() => PublishAsync(connections[client], client, perClient, qos, window, latencies, mappable));
        }

        await Task.WhenAll(runs);
        TimeSpan elapsed = clock.Elapsed;
        foreach (MqttClient connection in connections)
        {
            await connection.DisconnectAsync();
            await connection.DisposeAsync();
        }

        Array.Sort(latencies);
        double tickMs = 1000.0 / Stopwatch.Frequency;
        return new LoadResult(latencies.Length / elapsed.TotalSeconds, latencies[latencies.Length / 2] * tickMs, latencies[(int)(latencies.Length * 0.99)] * tickMs);
    }

    private static async Task<MqttClient> ConnectAsync(int port, int index, MqttProtocolVersion protocol)
    {
        for (int attempt = 1; ; attempt++)
        {
            var client = new MqttClient();
            try
            {
                await client.ConnectAsync(new MqttClientOptions { Port = port, ClientId = $"load-{index}-{Guid.NewGuid():N}", ProtocolVersion = protocol, ReceiveMaximum = 1000 }, CancellationToken.None);
                return client;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // A broker still closing the previous case's connections can miss a CONNECT; try again.
                await client.DisposeAsync();
            }
        }
    }

    private static async Task PublishAsync(MqttClient client, int clientIndex, int count, MqttQualityOfServiceLevel qos, int window, long[] latencies, string? mappable)
    {
        string device = (mappable ?? "load") + "-" + clientIndex;
        string topic = $"devices/{device}/messages/events/";
        var inFlight = new Queue<(Task<MqttPublishResult> Publish, long Started, int Index)>(window);
        for (int i = 0; i < count; i++)
        {
            if (inFlight.Count == window)
            {
                await Complete(inFlight.Dequeue(), latencies);
            }

            byte[] payload = mappable is null ? Payload(device, i) : MappablePayload(device, i);
            inFlight.Enqueue((client.PublishAsync(topic, payload, qos), Stopwatch.GetTimestamp(), (clientIndex * count) + i));
        }

        while (inFlight.Count > 0)
        {
            await Complete(inFlight.Dequeue(), latencies);
        }
    }

    private static async Task Complete((Task<MqttPublishResult> Publish, long Started, int Index) item, long[] latencies)
    {
        MqttPublishResult result;
        try
        {
            result = await item.Publish;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"message {item.Index}: {ex.Message}", ex);
        }

        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("publish refused: " + result.ReasonCode);
        }

        latencies[item.Index] = Stopwatch.GetTimestamp() - item.Started;
    }

    // ~250 bytes, like a bedside monitor's vitals message.
    private static byte[] Payload(string device, int i) => Encoding.UTF8.GetBytes(
        $$"""{"deviceId":"{{device}}","patientId":"patient-{{device}}","measurementTime":"2026-11-21T12:00:00.000Z","heartRate":{{60 + (i % 40)}},"spo2":97,"respiratoryRate":16,"temperature":36.8,"systolic":120,"diastolic":80,"sequence":{{i}},"firmware":"4.2.1"}""");

    // ~250 bytes too, but only the heart rate matches a template of modules/MedTechEdge/mappings: one Observation per
    // message, at a second of its own (well in the past, inside the time guards), whatever the batch it is mapped in.
    private static byte[] MappablePayload(string device, int i) => Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $$"""{"deviceId":"{{device}}","patientId":"patient-{{device}}","measurementTime":"{{MappableStart.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}","heartRate":{{60 + (i % 40)}},"sequence":{{i}},"battery":87,"signal":{"rssi":-61,"snr":12.5},"firmware":"4.2.1","model":"bedside-monitor-x200","ward":"icu-3"}"""));

    private static readonly DateTime MappableStart = new(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc);
}

/// <summary>Messages per second and acknowledgement latency percentiles (milliseconds).</summary>
internal sealed record LoadResult(double MessagesPerSecond, double P50Ms, double P99Ms);
