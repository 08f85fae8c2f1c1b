using MedTechEdge.Configuration;
using MedTechEdge.Mqtt.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Ingress;

/// <summary>
/// Ingest in connect mode: a persistent-session subscription to the gateway's own broker. Messages go
/// through the same <see cref="MqttIngressHandler"/> as the embedded listener's, so each is
/// acknowledged to the broker only after it is committed to the store.
/// </summary>
internal sealed class MqttSubscriberService : IHostedService, IAsyncDisposable
{
    private readonly MqttSubscriber _subscriber;

    public MqttSubscriberService(MedTechEdgeOptions options, MqttIngressHandler handler, ILoggerFactory loggers)
    {
        ExternalBrokerOptions broker = options.MqttBroker;
        var subscriberOptions = new MqttSubscriberOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ClientId = broker.ClientId,
            ProtocolVersion = broker.ProtocolVersion,
            Username = broker.Username,
            Password = broker.Password,
            Tls = broker.Tls,
        };
        if (broker.TopicFilters.Count > 0)
        {
            subscriberOptions.TopicFilters.Clear();
            foreach (string filter in broker.TopicFilters)
            {
                subscriberOptions.TopicFilters.Add(filter);
            }
        }

        try
        {
            _subscriber = new MqttSubscriber(subscriberOptions, handler, loggers.CreateLogger<MqttSubscriber>());
        }
        catch (ArgumentException ex)
        {
            throw new Hosting.ModuleStartupException("MedTechEdge:MqttBroker is invalid: " + ex.Message);
        }
    }

    /// <summary>The subscriber's counters.</summary>
    public MqttSubscriberStatistics Statistics => _subscriber.Statistics;

    public Task StartAsync(CancellationToken cancellationToken) => _subscriber.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _subscriber.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _subscriber.DisposeAsync();
}
