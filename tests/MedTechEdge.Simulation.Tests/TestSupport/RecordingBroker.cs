using System.Collections.Concurrent;
using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Simulation.Tests.TestSupport;

/// <summary>A publish as the broker took it; the payload is copied because the broker reuses its buffer.</summary>
internal sealed record BrokerMessage(string Topic, string DeviceId, MqttQualityOfServiceLevel QoS, byte[] Payload);

/// <summary>The project's MQTT broker on a loopback port, accepting and recording every publish.</summary>
internal sealed class RecordingBroker : IMqttIngestHandler, IAsyncDisposable
{
    private readonly ConcurrentQueue<BrokerMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private MqttServer? _server;

    public IReadOnlyCollection<BrokerMessage> Messages => _messages;

    public int Port => _server!.LocalEndPoint!.Port;

    public static async Task<RecordingBroker> StartAsync(int port = 0)
    {
        var broker = new RecordingBroker();
        broker._server = new MqttServer(new MqttServerOptions { BindAddress = IPAddress.Loopback, Port = port }, broker);
        await broker._server.StartAsync(CancellationToken.None);
        return broker;
    }

    public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(new BrokerMessage(message.Topic, message.DeviceId, message.QoS, message.Payload.ToArray()));
        _arrived.Release();
        return ValueTask.FromResult(MqttIngestResult.Accepted);
    }

    public async Task WaitForAsync(int count)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (_messages.Count < count)
        {
            await _arrived.WaitAsync(cts.Token);
        }
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
