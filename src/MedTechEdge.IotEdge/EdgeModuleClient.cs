using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.IotEdge;

/// <summary>
/// A module's one connection to edgeHub, as the device SDKs make it (shared/research/protocols.md C): MQTT 3.1.1 over
/// TLS to the gateway on 8883, client id <c>{device}/{module}</c>, user name
/// <c>{hub}/{device}/{module}/?api-version=2018-06-30</c>, a SAS token as the password, a persistent session. Over it:
/// module inputs (handed to the input handler and acknowledged after it accepted them), outputs (QoS 1), the twin
/// (GET, reported PATCH, desired notifications) and direct methods. edgeHub allows one connection per client id, so
/// every feature shares this one.
/// </summary>
public sealed class EdgeModuleClient : IAsyncDisposable
{
    private readonly IotEdgeSettings _identity;
    private readonly EdgeModuleClientOptions _options;
    private readonly IMqttIngestHandler _inputs;
    private readonly ILogger _logger;
    private readonly WorkloadApiClient? _workload;
    private readonly MqttClientTlsOptions? _tls;
    private readonly MqttSubscriber _subscriber;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TwinAnswer>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<byte[]> _desiredPatches = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _requestPrefix = Guid.NewGuid().ToString("N")[..8];
    private Task _desiredLoop = Task.CompletedTask;
    private long _requestCounter;
    private int _connectionGeneration;
    private long _tokensIssued;

    /// <summary>Creates the client; nothing connects before <see cref="StartAsync"/>.</summary>
    /// <param name="identity">Who the module is (the IoT Edge environment or a connection string).</param>
    /// <param name="options">Connection settings.</param>
    /// <param name="inputs">Receives the messages on the module's inputs; acknowledged to edgeHub once it accepted them.</param>
    /// <param name="loggers">Loggers; payloads, topics and tokens are never logged.</param>
    public EdgeModuleClient(IotEdgeSettings identity, EdgeModuleClientOptions options, IMqttIngestHandler inputs, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        _identity = identity;
        _options = options;
        _inputs = inputs;
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger<EdgeModuleClient>();
        _workload = identity.UsesWorkloadApi ? new WorkloadApiClient(identity) : null;
        string gateway = identity.GatewayHostName
            ?? throw new ArgumentException("IoT Edge: no gateway host name (IOTEDGE_GATEWAYHOSTNAME, or GatewayHostName in the connection string).", nameof(identity));
        _tls = options.UseTls ? new MqttClientTlsOptions { TargetHost = gateway, CaFile = options.CaFile } : null;
        var subscriberOptions = new MqttSubscriberOptions
        {
            Host = gateway,
            Port = options.Port,
            ClientId = identity.ClientId,
            // edgeHub's MQTT head speaks 3.1.1 (protocols.md C.1).
            ProtocolVersion = MqttProtocolVersion.V311,
            Username = $"{identity.IotHubHostName}/{identity.DeviceId}/{identity.ModuleId}/?api-version=2018-06-30",
            PasswordProvider = CreateTokenAsync,
            Tls = _tls,
            KeepAlive = options.KeepAlive,
            FirstReconnectDelay = options.FirstReconnectDelay,
            MaxReconnectDelay = options.MaxReconnectDelay,
            TimeProvider = options.TimeProvider,
            Connected = OnConnectedAsync,
        };
        subscriberOptions.TopicFilters.Clear();
        subscriberOptions.TopicFilters.Add(ModuleMessageTopic.InputsFilter(identity.DeviceId, identity.ModuleId));
        subscriberOptions.TopicFilters.Add(IotHubTopics.TwinResponseFilter);
        subscriberOptions.TopicFilters.Add(IotHubTopics.DesiredPatchFilter);
        subscriberOptions.TopicFilters.Add(IotHubTopics.MethodRequestFilter);
        _subscriber = new MqttSubscriber(subscriberOptions, new Dispatcher(this), loggers.CreateLogger<MqttSubscriber>());
    }

    /// <summary>
    /// Called after every connection, once the subscriptions stand: the place to read the twin again, since desired
    /// updates made while the module was away are not replayed.
    /// </summary>
    public Func<CancellationToken, Task>? Connected { get; set; }

    /// <summary>Called, one at a time and in arrival order, with each desired-properties patch (JSON, with <c>$version</c>).</summary>
    public Func<JsonElement, CancellationToken, Task>? DesiredPropertiesUpdated { get; set; }

    /// <summary>Answers direct methods by name; without it every method is answered 501.</summary>
    public Func<string, ReadOnlyMemory<byte>, CancellationToken, Task<ModuleMethodResponse>>? MethodHandler { get; set; }

    /// <summary>True while connected to edgeHub.</summary>
    public bool IsConnected => _subscriber.IsConnected;

    /// <summary>Connection counters.</summary>
    public MqttSubscriberStatistics Statistics => _subscriber.Statistics;

    /// <summary>SAS tokens made so far, one per connection attempt.</summary>
    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    /// <summary>Fetches the trust bundle when needed, then connects in the background; edgeHub being down is retried, not reported.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_tls is { CaFile: null } && _workload is not null)
        {
            // Trust edgeHub through the runtime's trust bundle, as the device SDKs do.
            string pem = await _workload.GetTrustBundleAsync(cancellationToken).ConfigureAwait(false);
            string path = Path.Combine(Path.GetTempPath(), "medtechedge-edgehub-trust-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".pem");
            await File.WriteAllTextAsync(path, pem, cancellationToken).ConfigureAwait(false);
            _tls.CaFile = path;
        }

        _desiredLoop = Task.Run(DesiredLoopAsync, CancellationToken.None);
        await _subscriber.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Acknowledges what the input handler accepted, then disconnects; the session stays on edgeHub.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _desiredPatches.Writer.TryComplete();
        await _subscriber.StopAsync(cancellationToken).ConfigureAwait(false);
        await _desiredLoop.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _desiredPatches.Writer.TryComplete();
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        await _desiredLoop.ConfigureAwait(false);
        _workload?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>The whole twin, <c>{"desired":{…},"reported":{…}}</c>.</summary>
    /// <exception cref="MqttNotConnectedException">No connection to edgeHub.</exception>
    /// <exception cref="ModuleTwinException">edgeHub answered with an error status.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="EdgeModuleClientOptions.RequestTimeout"/>.</exception>
    public async Task<JsonDocument> GetTwinAsync(CancellationToken cancellationToken)
    {
        TwinAnswer answer = await RequestAsync(IotHubTopics.TwinGet, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(answer.Body);
    }

    /// <summary>Patches the reported properties; returns their new version.</summary>
    /// <exception cref="MqttNotConnectedException">No connection to edgeHub.</exception>
    /// <exception cref="ModuleTwinException">edgeHub answered with an error status.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="EdgeModuleClientOptions.RequestTimeout"/>.</exception>
    public async Task<long?> UpdateReportedPropertiesAsync(ReadOnlyMemory<byte> patch, CancellationToken cancellationToken)
    {
        TwinAnswer answer = await RequestAsync(IotHubTopics.ReportedPatch, patch, cancellationToken).ConfigureAwait(false);
        return answer.Version;
    }

    /// <summary>
    /// Sends a message on one of the module's outputs at QoS 1, with the IoT Hub property bag (JSON content type and
    /// encoding, and <paramref name="properties"/> as application properties). True once edgeHub acknowledged it.
    /// </summary>
    /// <exception cref="MqttNotConnectedException">No connection to edgeHub.</exception>
    public async Task<bool> SendOutputAsync(string output, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? properties, CancellationToken cancellationToken)
    {
        string topic = ModuleMessageTopic.Output(_identity.DeviceId, _identity.ModuleId, output, properties);
        MqttPublishResult result = await _subscriber.PublishAsync(topic, body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess;
    }

    private async Task<TwinAnswer> RequestAsync(Func<string, string> topicFor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        string rid = _requestPrefix + Interlocked.Increment(ref _requestCounter).ToString("x", CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<TwinAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[rid] = answer;
        try
        {
            // Twin requests go at QoS 0, as the SDKs send them (C.3); the request id pairs the answer.
            await _subscriber.PublishAsync(topicFor(rid), body, MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);
            TwinAnswer result = await answer.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            // C.3: a status of 300 or more is an error; 429 is throttling.
            return result.Status >= 300 ? throw new ModuleTwinException(result.Status) : result;
        }
        finally
        {
            _pending.TryRemove(rid, out _);
        }
    }

    private async Task OnConnectedAsync(bool sessionPresent, CancellationToken stopping)
    {
        int generation = Interlocked.Increment(ref _connectionGeneration);
        _ = RenewLaterAsync(generation, stopping);
        if (Connected is { } connected)
        {
            await connected(stopping).ConfigureAwait(false);
        }
    }

    private async Task RenewLaterAsync(int generation, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(_options.TokenLifetime * _options.TokenRenewal, _options.TimeProvider, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _connectionGeneration) == generation && _subscriber.IsConnected)
        {
            EdgeModuleClientLog.RenewingToken(_logger);
            _subscriber.Reconnect();
        }
    }

    private async ValueTask<string> CreateTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokensIssued);
        DateTimeOffset expires = _options.TimeProvider.GetUtcNow() + _options.TokenLifetime;
        return _identity.CreateTokenWithKey(expires)
            ?? await _workload!.CreateModuleTokenAsync(expires, cancellationToken).ConfigureAwait(false);
    }

    private async Task DesiredLoopAsync()
    {
        await foreach (byte[] patch in _desiredPatches.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (DesiredPropertiesUpdated is not { } handler)
            {
                continue;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(patch);
                await handler(document.RootElement, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                EdgeModuleClientLog.DesiredHandlerFailed(_logger, ex);
            }
        }
    }

    private async Task AnswerMethodAsync(string method, string requestId, byte[] payload)
    {
        ModuleMethodResponse response;
        try
        {
            response = MethodHandler is { } handler
                ? await handler(method, payload, _stopping.Token).ConfigureAwait(false)
                : new ModuleMethodResponse(501, """{"error":"No direct methods are handled."}"""u8.ToArray());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            EdgeModuleClientLog.MethodFailed(_logger, ex, method);
            response = new ModuleMethodResponse(500, ErrorBody(ex.Message));
        }

        try
        {
            await _subscriber.PublishAsync(IotHubTopics.MethodResponse(response.Status, requestId), response.Body, MqttQualityOfServiceLevel.AtMostOnce, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or OperationCanceledException)
        {
            // The caller times out; IoT Hub reports that to whoever invoked the method.
            EdgeModuleClientLog.MethodAnswerLost(_logger, method);
        }
    }

    /// <summary>Sorts what edgeHub sends: inputs to the input handler, the rest to the twin and method flows.</summary>
    private sealed class Dispatcher(EdgeModuleClient client) : IMqttIngestHandler
    {
        public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
        {
            string topic = message.Topic;
            if (!topic.StartsWith("$iothub/", StringComparison.Ordinal))
            {
                return client._inputs.OnPublishAsync(message, cancellationToken);
            }

            if (IotHubTopics.TryParseTwinResponse(topic, out int status, out string rid, out long? version))
            {
                if (client._pending.TryGetValue(rid, out TaskCompletionSource<TwinAnswer>? waiter))
                {
                    waiter.TrySetResult(new TwinAnswer(status, message.Payload.ToArray(), version));
                }
            }
            else if (IotHubTopics.IsDesiredPatch(topic))
            {
                client._desiredPatches.Writer.TryWrite(message.Payload.ToArray());
            }
            else if (IotHubTopics.TryParseMethodRequest(topic, out string method, out string methodRid))
            {
                byte[] payload = message.Payload.ToArray();
                _ = Task.Run(() => client.AnswerMethodAsync(method, methodRid, payload), CancellationToken.None);
            }

            // Twin and method traffic is acknowledged at once: it is answered, not stored (C.3 warns that an
            // unacknowledged one holds up the messages behind it).
            return new ValueTask<MqttIngestResult>(MqttIngestResult.Accepted);
        }
    }

    /// <summary>{"error": message}, written directly: a dictionary through JsonSerializer needs reflection, which a trimmed build turns off.</summary>
    private static byte[] ErrorBody(string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private readonly record struct TwinAnswer(int Status, byte[] Body, long? Version);
}
