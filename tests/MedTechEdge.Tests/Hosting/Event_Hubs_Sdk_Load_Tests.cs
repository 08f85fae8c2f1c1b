using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// A module that neither reads nor writes an event hub does not load the Event Hubs SDK (issue 16, memory: every
/// assembly loaded is code mapped into the resident set), while the settings that name the SDK's choices still reach it.
/// </summary>
public sealed class Event_Hubs_Sdk_Load_Tests : IDisposable
{
    private readonly TestFolder _test = new("medtechedge-sdk-load-");

    public void Dispose() => _test.Dispose();

    [Fact]
    public async Task A_Module_Without_Event_Hubs_Maps_No_Azure_Sdk_Assembly()
    {
        await using ModuleProcess module = await ModuleProcess.StartAsync(_test.Path, "--MedTechEdge:Dashboard:Enabled=false");

        // Every option is bound by the time the listener accepts connections; a property typed with one of the SDK's
        // enums would have loaded its assembly then.
        string[] mapped = module.MappedFileNames();
        Assert.Contains("MedTechEdge.dll", mapped);
        Assert.DoesNotContain(mapped, f => f.StartsWith("Azure.", StringComparison.Ordinal) || f.StartsWith("Microsoft.Azure.", StringComparison.Ordinal));
    }

    [Fact]
    public void Transport_And_Load_Balancing_Reach_The_Sdk_As_Configured()
    {
        MedTechEdgeOptions options = Bind(
            ("EventHub:ConnectionString", "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5;EntityPath=observations"),
            ("EventHub:Transport", "AmqpWebSockets"),
            ("EventHubIngress:LoadBalancingStrategy", "Balanced"));
        Assert.Equal(EventHubsTransportType.AmqpWebSockets, MedTechEdge.Hosting.EventHubsEndpointFactory.Create(options.EventHub, "MedTechEdge:EventHub").TransportType);
        Assert.Equal(LoadBalancingStrategy.Balanced, EventHubIngressSettingsFactory.Create(options.EventHubIngress).LoadBalancingStrategy);

        MedTechEdgeOptions defaults = Bind(("EventHub:ConnectionString", "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5;EntityPath=observations"));
        Assert.Equal(EventHubsTransportType.AmqpTcp, MedTechEdge.Hosting.EventHubsEndpointFactory.Create(defaults.EventHub, "MedTechEdge:EventHub").TransportType);
        Assert.Equal(LoadBalancingStrategy.Greedy, EventHubIngressSettingsFactory.Create(defaults.EventHubIngress).LoadBalancingStrategy);
    }

    private static MedTechEdgeOptions Bind(params (string Key, string Value)[] settings)
    {
        var options = new MedTechEdgeOptions();
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(MedTechEdgeOptions.Section + ":" + s.Key, s.Value)))
            .Build()
            .GetSection(MedTechEdgeOptions.Section)
            .Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        return options;
    }
}
