using MedTechEdge.Configuration;
using MedTechEdge.IotEdge;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>
/// The module as a client of edgeHub, for device messages that IoT Edge routes to the module's inputs
/// (<c>FROM /messages/* INTO BrokeredEndpoint("/modules/MedTechEdge/inputs/devicedata")</c>). It speaks what the
/// device SDKs speak to edgeHub: MQTT 3.1.1 over TLS to the gateway on 8883, client id <c>{device}/{module}</c>,
/// user name <c>{hub}/{device}/{module}/?api-version=2018-06-30</c>, a SAS token as the password (signed by the
/// workload API, or with the key of a connection string), a persistent session, and a PUBACK after the commit.
/// </summary>
internal sealed class EdgeHubIngressService : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan s_tokenLifetime = TimeSpan.FromHours(1);

    private readonly MqttSubscriber _subscriber;
    private readonly WorkloadApiClient? _workload;
    private readonly IotEdgeSettings _identity;
    private readonly MqttClientTlsOptions? _tls;

    public EdgeHubIngressService(IotEdgeSettings identity, MedTechEdgeOptions options, MqttIngressHandler ingress, ILoggerFactory loggers)
    {
        _identity = identity;
        EdgeHubOptions edgeHub = options.EdgeHub;
        _workload = identity.UsesWorkloadApi ? new WorkloadApiClient(identity) : null;
        Handler = new EdgeHubInputHandler(identity, edgeHub.Inputs.Count > 0 ? edgeHub.Inputs : ["devicedata"], ingress);
        string gateway = identity.GatewayHostName
            ?? throw new Hosting.ModuleStartupException("IoT Edge: no gateway host name (IOTEDGE_GATEWAYHOSTNAME, or GatewayHostName in the connection string).");
        _tls = edgeHub.UseTls ? new MqttClientTlsOptions { TargetHost = gateway, CaFile = edgeHub.CaFile } : null;
        var subscriberOptions = new MqttSubscriberOptions
        {
            Host = gateway,
            Port = edgeHub.Port,
            ClientId = identity.ClientId,
            // edgeHub's MQTT head speaks 3.1.1 (shared/research/protocols.md C.1).
            ProtocolVersion = MqttProtocolVersion.V311,
            Username = $"{identity.IotHubHostName}/{identity.DeviceId}/{identity.ModuleId}/?api-version=2018-06-30",
            PasswordProvider = CreateTokenAsync,
            Tls = _tls,
        };
        subscriberOptions.TopicFilters.Clear();
        subscriberOptions.TopicFilters.Add(ModuleMessageTopic.InputsFilter(identity.DeviceId, identity.ModuleId));
        _subscriber = new MqttSubscriber(subscriberOptions, Handler, loggers.CreateLogger<MqttSubscriber>());
    }

    /// <summary>The input handler (its counters).</summary>
    public EdgeHubInputHandler Handler { get; }

    /// <summary>The subscriber's counters.</summary>
    public MqttSubscriberStatistics Statistics => _subscriber.Statistics;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_tls is { CaFile: null } && _workload is not null)
        {
            // Trust edgeHub through the runtime's trust bundle, as the device SDKs do.
            string pem = await _workload.GetTrustBundleAsync(cancellationToken).ConfigureAwait(false);
            string path = Path.Combine(Path.GetTempPath(), "medtechedge-edgehub-trust-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".pem");
            await File.WriteAllTextAsync(path, pem, cancellationToken).ConfigureAwait(false);
            _tls.CaFile = path;
        }

        await _subscriber.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _subscriber.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        _workload?.Dispose();
    }

    private async ValueTask<string> CreateTokenAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset expires = DateTimeOffset.UtcNow + s_tokenLifetime;
        return _identity.CreateTokenWithKey(expires)
            ?? await _workload!.CreateModuleTokenAsync(expires, cancellationToken).ConfigureAwait(false);
    }
}
