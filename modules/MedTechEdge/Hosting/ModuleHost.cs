using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Hosting;

/// <summary>
/// Wires the stages into a Generic Host: Ingest (MQTT listener) → inbox → Map → outbox → Persist → sink.
/// The only place that knows every library.
/// </summary>
internal static class ModuleHost
{
    public const string SimulateSwitch = "--simulate";

    public static IHost Build(string[] args)
    {
        // "--simulate" is a bare switch; the command-line configuration provider wants key=value pairs.
        bool simulate = Array.IndexOf(args, SimulateSwitch) >= 0;
        string[] rest = Array.FindAll(args, a => a != SimulateSwitch);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = rest,
            // appsettings.json and the bundled mappings ship next to the executable; ./data stays relative to the working folder.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (simulate)
        {
            builder.Configuration.AddInMemoryCollection([new("MedTechEdge:Simulator:Enabled", "true")]);
        }

        var options = new MedTechEdgeOptions();
        builder.Configuration.GetSection(MedTechEdgeOptions.Section).Bind(options);
        // The FHIR server and NDJSON sinks take FHIR resources; Event Hubs takes what EventHub:Content says.
        options.Pipeline.Output = options.Sink == SinkKind.EventHub ? options.EventHub.Content : MapOutput.Resources;

        DeviceMapping deviceMapping = LoadMapping<DeviceMapping>(options.Mappings.Device, "device", DeviceMapping.TryLoad);
        FhirMapping fhirMapping = LoadMapping<FhirMapping>(options.Mappings.Fhir, "FHIR", FhirMapping.TryLoad);

        IServiceCollection services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Pipeline);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => MedTechStore.Open(options.Store));
        services.AddSingleton<PipelineSignals>();
        services.AddSingleton(sp => new InboxWriter(sp.GetRequiredService<MedTechStore>(), sp.GetRequiredService<PipelineSignals>().Inbox));
        services.AddSingleton(deviceMapping);
        services.AddSingleton(fhirMapping);
        // One client for the sink and for identity lookups; validated here so a bad setting stops the start.
        MedTechEdge.Fhir.Client.FhirClient? fhirClient = SinkFactory.CreateClient(options);
        if (fhirClient is not null)
        {
            services.AddSingleton(fhirClient);
        }

        services.AddSingleton(_ => SinkFactory.Create(options, fhirMapping, fhirClient));

        // Start order is registration order and stop order its reverse: devices and the listener stop
        // first, so nothing arrives while the stages finish their current transaction.
        AddStage<RetentionService>(services);
        AddStage<MapStage>(services);
        AddStage<PersistStage>(services);
        MedTechEdge.IotEdge.IotEdgeSettings? edgeIdentity = EdgeHubIdentity(options);
        if (options.Mqtt.Enabled || options.MqttBroker.Enabled || edgeIdentity is not null)
        {
            services.AddSingleton<MqttIngressHandler>();
        }

        if (options.Mqtt.Enabled)
        {
            AddStage<MqttListenerService>(services);
        }

        if (options.MqttBroker.Enabled)
        {
            AddStage<MqttSubscriberService>(services);
        }

        if (edgeIdentity is not null)
        {
            services.AddSingleton(edgeIdentity);
            AddStage<EdgeHubIngressService>(services);
        }

        if (options.Simulator.Enabled)
        {
            AddStage<SimulatorService>(services);
        }

        return builder.Build();
    }

    /// <summary>
    /// Who the module is to edgeHub when it takes device messages from IoT Edge routes: from <c>EdgeHub:ConnectionString</c>,
    /// else from the runtime's environment; null when edgeHub ingress is off or the module does not run under IoT Edge.
    /// </summary>
    private static MedTechEdge.IotEdge.IotEdgeSettings? EdgeHubIdentity(MedTechEdgeOptions options)
    {
        if (options.EdgeHub.Enabled == false)
        {
            return null;
        }

        System.Collections.IDictionary environment = options.EdgeHub.ConnectionString is { Length: > 0 } text
            ? new System.Collections.Hashtable { ["EdgeHubConnectionString"] = text }
            : Environment.GetEnvironmentVariables();
        if (!MedTechEdge.IotEdge.IotEdgeSettings.TryRead(environment, out MedTechEdge.IotEdge.IotEdgeSettings? settings, out string? error))
        {
            throw new ModuleStartupException("IoT Edge: " + error);
        }

        if (settings is null && options.EdgeHub.Enabled == true)
        {
            throw new ModuleStartupException("MedTechEdge:EdgeHub:Enabled is true, but the module does not run under IoT Edge and MedTechEdge:EdgeHub:ConnectionString is empty.");
        }

        return settings;
    }

    private static void AddStage<T>(IServiceCollection services)
        where T : class, IHostedService
    {
        // One instance, reachable both as a hosted service and by its type (tests read its counters).
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }

    private delegate bool TryLoad<T>(string json, out T? mapping, out IReadOnlyList<TemplateError> errors);

    private static T LoadMapping<T>(string path, string kind, TryLoad<T> load)
        where T : class
    {
        // A relative path is looked up in the working folder first (a user's own file), then next to
        // the executable (the bundled samples).
        string full = Path.GetFullPath(path);
        if (!Path.IsPathRooted(path) && !File.Exists(full))
        {
            full = Path.Combine(AppContext.BaseDirectory, path);
        }

        if (!File.Exists(full))
        {
            throw new ModuleStartupException($"The {kind} mapping file '{full}' does not exist (setting MedTechEdge:Mappings).");
        }

        if (load(File.ReadAllText(full), out T? mapping, out IReadOnlyList<TemplateError> errors))
        {
            return mapping!;
        }

        var message = new System.Text.StringBuilder($"The {kind} mapping '{full}' is invalid:");
        foreach (TemplateError error in errors)
        {
            message.AppendLine().Append("  ").Append(error);
        }

        throw new ModuleStartupException(message.ToString());
    }
}
