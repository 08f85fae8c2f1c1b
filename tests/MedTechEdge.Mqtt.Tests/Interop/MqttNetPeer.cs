using System.Text;
using System.Threading.Channels;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Diagnostics.PacketInspection;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MedTechEdge.Mqtt.Tests.Interop;

/// <summary>
/// One message as an MQTTnet client received it. Copied inside the event handler because MQTTnet may reuse the
/// payload buffer once the handler returns.
/// </summary>
internal sealed record MqttNetReceived(string Topic, string Payload, MqttQualityOfServiceLevel QoS, bool Retain, IReadOnlyList<KeyValuePair<string, string>> UserProperties, string? ContentType)
{
    public bool Dup { get; init; }

    public uint MessageExpiryInterval { get; init; }

    public MqttPayloadFormatIndicator PayloadFormatIndicator { get; init; }

    public string? ResponseTopic { get; init; }

    public byte[]? CorrelationData { get; init; }

    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];
}

/// <summary>
/// An MQTTnet 5 client used as a referee against our broker: what it received, the DISCONNECT it got and the raw
/// bytes of the first packet the broker sent (CONNACK), so 3.1.1 return codes can be checked as they are on the wire
/// rather than through MQTTnet's mapping to 5.0 reason codes.
/// </summary>
internal sealed class MqttNetPeer : IAsyncDisposable
{
    private static readonly MqttClientFactory s_factory = new();
    private readonly Channel<MqttNetReceived> _received = Channel.CreateUnbounded<MqttNetReceived>();
    private readonly TaskCompletionSource<MqttClientDisconnectedEventArgs> _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<byte[]> _firstInbound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MqttNetPeer(IMqttClient client)
    {
        Client = client;
        client.ApplicationMessageReceivedAsync += OnReceivedAsync;
        client.DisconnectedAsync += e =>
        {
            _disconnected.TrySetResult(e);
            return Task.CompletedTask;
        };
        client.InspectPacketAsync += e =>
        {
            if (e.Direction == MqttPacketFlowDirection.Inbound)
            {
                _firstInbound.TrySetResult(e.Buffer.ToArray());
            }

            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    public MqttClientConnectResult ConnectResult { get; private set; } = null!;

    /// <summary>Options for our broker on loopback; a short timeout so a broken exchange fails the test rather than hanging it.</summary>
    public static MqttClientOptionsBuilder Options(int port, string clientId, MqttProtocolVersion version) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithTimeout(Peers.Timeout);

    /// <summary>Connects and asserts CONNACK success.</summary>
    public static async Task<MqttNetPeer> ConnectAsync(int port, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, Action<MqttClientOptionsBuilder>? configure = null)
    {
        MqttNetPeer peer = await TryConnectAsync(port, clientId, version, configure);
        Assert.True(peer.ConnectResult.ResultCode == MqttClientConnectResultCode.Success, $"CONNACK {peer.ConnectResult.ResultCode}");
        return peer;
    }

    /// <summary>Connects and returns whatever CONNACK said; MQTTnet 5 reports a refusal in the result instead of throwing.</summary>
    public static async Task<MqttNetPeer> TryConnectAsync(int port, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, Action<MqttClientOptionsBuilder>? configure = null)
    {
        MqttClientOptionsBuilder builder = Options(port, clientId, version);
        configure?.Invoke(builder);
        var peer = new MqttNetPeer(s_factory.CreateMqttClient());
        using var cts = new CancellationTokenSource(Peers.Timeout);
        peer.ConnectResult = await peer.Client.ConnectAsync(builder.Build(), cts.Token);
        return peer;
    }

    /// <summary>A user property value for MQTTnet 5, whose string overloads are obsolete (it keeps values as bytes).</summary>
    public static ReadOnlyMemory<byte> Utf8(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>The raw bytes of the first packet received (the CONNACK), fixed header included.</summary>
    public Task<byte[]> FirstInboundPacketAsync() => _firstInbound.Task.WaitAsync(Peers.Timeout);

    /// <summary>Completes when the connection ends; carries the reason of a DISCONNECT sent by the broker.</summary>
    public Task<MqttClientDisconnectedEventArgs> DisconnectedAsync() => _disconnected.Task.WaitAsync(Peers.Timeout);

    public async Task SubscribeAsync(string topicFilter, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        MqttClientSubscribeResult result = await Client.SubscribeAsync(topicFilter, qos);
        Assert.Equal((MqttClientSubscribeResultCode)(int)qos, Assert.Single(result.Items).ResultCode);
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, bool retain = false, Action<MqttApplicationMessageBuilder>? configure = null)
    {
        MqttApplicationMessageBuilder builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain);
        configure?.Invoke(builder);
        return Client.PublishAsync(builder.Build());
    }

    /// <summary>The next message, or a <see cref="TimeoutException"/> after <see cref="Peers.Timeout"/>.</summary>
    public Task<MqttNetReceived> ReceiveAsync() => _received.Reader.ReadAsync().AsTask().WaitAsync(Peers.Timeout);

    /// <summary>Messages up to and including the first on <paramref name="topic"/>; used as a flush marker, since a session's deliveries are in order (§4.6).</summary>
    public async Task<List<MqttNetReceived>> ReceiveUntilAsync(string topic)
    {
        var messages = new List<MqttNetReceived>();
        while (true)
        {
            MqttNetReceived message = await ReceiveAsync();
            messages.Add(message);
            if (message.Topic == topic)
            {
                return messages;
            }
        }
    }

    /// <summary>Closes the socket without DISCONNECT: MQTTnet's Dispose tears the channel down without a goodbye.</summary>
    public void Abort() => Client.Dispose();

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        MqttApplicationMessage m = e.ApplicationMessage;
        var properties = new List<KeyValuePair<string, string>>();
        foreach (MqttUserProperty property in m.UserProperties ?? [])
        {
            properties.Add(new(property.Name, property.ReadValueAsString()));
        }

        // MQTTnet reports a zero-length payload as null; the tests compare it as the empty string it is on the wire.
        _received.Writer.TryWrite(new MqttNetReceived(m.Topic, m.ConvertPayloadToString() ?? string.Empty, m.QualityOfServiceLevel, m.Retain, properties, m.ContentType)
        {
            Dup = m.Dup,
            MessageExpiryInterval = m.MessageExpiryInterval,
            PayloadFormatIndicator = m.PayloadFormatIndicator,
            ResponseTopic = m.ResponseTopic,
            CorrelationData = m.CorrelationData?.ToArray(),
            SubscriptionIdentifiers = [.. m.SubscriptionIdentifiers ?? []],
        });
        return Task.CompletedTask;
    }
}
