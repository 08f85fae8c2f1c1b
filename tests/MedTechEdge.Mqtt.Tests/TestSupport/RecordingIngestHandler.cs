using System.Collections.Concurrent;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>A copy of what the handler saw; the payload is copied because the broker reuses its buffer.</summary>
internal sealed record IngestedMessage(string Topic, byte[] Payload, string ClientId, string DeviceId, MqttQualityOfServiceLevel QoS, bool Retain, MqttProtocolVersion ProtocolVersion, IReadOnlyList<MqttUserProperty> UserProperties, string? ContentType, string? Identity = null, IReadOnlyList<string>? IdentityDeviceIds = null)
{
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);
}

/// <summary>Accepts everything and records it. Optional gate: each call waits until <see cref="Release"/>.</summary>
internal sealed class RecordingIngestHandler : IMqttIngestHandler
{
    private readonly ConcurrentQueue<IngestedMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public Func<IngestedMessage, ValueTask<MqttIngestResult>>? Behaviour { get; set; }

    public IReadOnlyCollection<IngestedMessage> Messages => _messages;

    public async ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        var copy = new IngestedMessage(message.Topic, message.Payload.ToArray(), message.ClientId, message.DeviceId, message.QoS, message.Retain, message.ProtocolVersion, message.UserProperties, message.ContentType, message.Identity, message.IdentityDeviceIds);
        _messages.Enqueue(copy);
        _arrived.Release();
        return Behaviour is null ? MqttIngestResult.Accepted : await Behaviour(copy);
    }

    /// <summary>Waits until <paramref name="count"/> messages in total have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (_messages.Count < count)
        {
            await _arrived.WaitAsync(cts.Token);
        }
    }
}
