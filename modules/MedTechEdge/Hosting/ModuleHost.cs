using System.Diagnostics.CodeAnalysis;
using MedTechEdge.Configuration;
using MedTechEdge.Dashboard;
using MedTechEdge.Ingress;
using MedTechEdge.IotEdge;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// Wires the stages into a Generic Host: Ingest (MQTT listener, edgeHub routes, an event hub) → inbox → Map → outbox → Persist → sink.
/// The only place that knows every library.
/// </summary>
internal static class ModuleHost
{
    public const string SimulateSwitch = "--simulate";

    /// <summary>Builds the module's host; nothing starts.</summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="twinFolder">Where the twin's configuration layer is read from; null: next to the store.</param>
    /// <param name="configure">Last changes to the services (the replay tool counts what its sink writes); null: none.</param>
    public static IHost Build(string[] args, string? twinFolder = null, Action<IServiceCollection>? configure = null)
    {
        HostApplicationBuilder builder = CreateBuilder(args, ref twinFolder, out TwinLayer? twin, out MedTechEdgeOptions options);
        // The FHIR server and NDJSON sinks take FHIR resources; Event Hubs and edgeHub take what their Content says.
        options.Pipeline.Output = options.Sink switch
        {
            SinkKind.EventHub => options.EventHub.Content,
            SinkKind.EdgeHub => options.EdgeHub.Content,
            _ => MapOutput.Resources,
        };

        DeviceMapping deviceMapping = LoadMapping<DeviceMapping>(options.Mappings.Device, "device", DeviceMapping.TryLoad);
        FhirMapping fhirMapping = LoadMapping<FhirMapping>(options.Mappings.Fhir, "FHIR", FhirMapping.TryLoad);

        var lastErrors = new LastErrorLog();
        builder.Logging.AddProvider(lastErrors);
        ModuleLogging.Configure(builder, Environment.GetEnvironmentVariables());
        IServiceCollection services = builder.Services;
        services.AddSingleton(lastErrors);
        services.AddSingleton(options);
        services.AddSingleton(new ModuleArguments(args, twinFolder, twin));
        services.AddSingleton<ModuleRestart>();
        services.AddSingleton<ModuleStatus>();
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

        // Persist tells Map which cached identities the FHIR server refused; Persist repairs the refused records.
        var invalidations = new MedTechEdge.Pipeline.Identity.IdentityInvalidations();
        services.AddSingleton(invalidations);
        if (fhirClient is not null && options.Sink is SinkKind.Fhir or SinkKind.Auto)
        {
            services.AddSingleton(new MedTechEdge.Pipeline.Identity.ReferenceRepair(fhirClient, options.Pipeline, invalidations));
        }

        MedTechEdge.IotEdge.IotEdgeSettings? edgeIdentity = EdgeHubIdentity(options);
        if (options.Sink == SinkKind.EdgeHub)
        {
            string output = EdgeHubOutput(options, edgeIdentity);
            services.AddSingleton<IResourceSink>(sp => new EdgeHubSink(sp.GetRequiredService<EdgeHubService>().Client, output));
        }
        else
        {
            services.AddSingleton(_ => SinkFactory.Create(options, fhirMapping, fhirClient));
        }

        // First, so the start-up log says what the module runs on before the listeners say where they listen.
        services.AddHostedService(sp => new StartupReport(options, deviceMapping, fhirMapping, fhirClient is not null, sp.GetRequiredService<ILogger<StartupReport>>()));

        // Start order is registration order and stop order its reverse: devices and the listener stop
        // first, so nothing arrives while the stages finish their current transaction. The metrics and health
        // endpoints start before all of them and stop after.
        MedTechEdge.Observability.ObservabilityServices.Add(services, options);
        AddStage<RetentionService>(services);
        // Both take the InboxWriter registered above (their optional writer parameter, filled by the container): their
        // writes ride its group commit instead of transactions of their own (docs/architecture.md, "Writers").
        AddStage<MapStage>(services);
        AddStage<PersistStage>(services);
        // After the stages and before the ingresses: stopped once nothing comes in, while the stages still run.
        services.AddHostedService<StoreDrain>();
        if (options.Pipeline.DrainOnStop > TimeSpan.Zero)
        {
            // The host cancels every StopAsync at its shutdown timeout (30 s by default): leave the drain its time
            // and the stages theirs after it.
            services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (options.Pipeline.DrainOnStop + TimeSpan.FromSeconds(15)).Ticks)));
        }
        if (options.Mqtt.Enabled || options.MqttBroker.Enabled || edgeIdentity is not null)
        {
            services.AddSingleton(sp => new MqttIngressHandler(sp.GetRequiredService<InboxWriter>(), sp.GetRequiredService<ILogger<MqttIngressHandler>>(), options.Mqtt.DeviceBinding));
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
            services.AddSingleton<ModuleTwinSync>();
            services.AddSingleton<ModuleMethods>();
            AddStage<EdgeHubService>(services);
            if (options.EdgeHub.ForwardDeadLetters)
            {
                AddStage<DeadLetterForwarder>(services);
            }
        }

        if (options.EventHubIngress.Enabled)
        {
            AddEventHubIngress(services, options.EventHubIngress);
        }

        if (options.Simulator.Enabled)
        {
            AddStage<SimulatorService>(services);
        }

        if (options.Dashboard.Enabled)
        {
            // The Map stage records into the dashboard's tap only when it is on. The host lends it a listener and what
            // only the host knows: the edgeHub connection the sink writes through, and the Event Hubs ingress.
            // The bounds as written first: the binder leaves out a range with a bound it could not convert, so the
            // options' own checks would only add confusing follow-on lines about what is missing.
            IReadOnlyList<string> dashboardProblems = DashboardOptionsValidator.ValidateBoundsText(builder.Configuration.GetSection(DashboardOptions.Section + ":NormalRanges"));
            if (dashboardProblems.Count == 0)
            {
                dashboardProblems = DashboardOptionsValidator.Validate(options.Dashboard);
            }

            if (dashboardProblems.Count > 0)
            {
                throw new ModuleStartupException(string.Join(Environment.NewLine, dashboardProblems));
            }

            services.AddDashboard(options.Dashboard, sp => new DashboardSources
            {
                UpstreamConnected = () => sp.GetRequiredService<IResourceSink>() is EdgeHubSink ? sp.GetService<EdgeHubService>()?.Client.IsConnected : null,
                EventHubIngress = () => sp.GetService<EventHubIngressService>() is { } ingress
                    ? new EventHubIngressView(ingress.Source.Namespace, ingress.Source.EventHub, ingress.Source.ConsumerGroup, ingress.Metrics)
                    : null,
            });
        }

        configure?.Invoke(services);
        return builder.Build();
    }

    /// <summary>
    /// The module's configuration, layered as the module layers it (appsettings.json, the environment, the command
    /// line, the twin's layer), and its options bound from it. The tools read the module's settings through it too.
    /// </summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="twinFolder">Where the twin's layer is read from; null: next to the store, and then set to that folder.</param>
    /// <param name="twin">The twin's layer, if there is one.</param>
    /// <param name="options">The options bound from the configuration.</param>
    internal static HostApplicationBuilder CreateBuilder(string[] args, [NotNull] ref string? twinFolder, out TwinLayer? twin, out MedTechEdgeOptions options)
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

        // The twin's layer comes last, so it wins; it cannot move the store, so the store path read here stands.
        twinFolder ??= TwinLayer.FolderFor(builder.Configuration["MedTechEdge:Store:Path"] ?? new StoreOptions().Path);
        twin = TwinLayer.Load(twinFolder);
        if (twin is not null)
        {
            builder.Configuration.AddInMemoryCollection(twin.Settings);
        }

        options = new MedTechEdgeOptions();
        try
        {
            OptionsBinding.Bind(builder.Configuration, options);
        }
        catch (InvalidOperationException ex)
        {
            // A value the binder cannot convert (a port that is not a number, a resolution type it does not know): the
            // operator's setting, so one line naming it and exit code 4, as for every other unusable setting.
            throw new ModuleStartupException(ex.Message);
        }

        if (options.Pipeline.BurstCommitSize < 1 || options.Pipeline.BurstDeferral < TimeSpan.Zero)
        {
            // A size of zero would make every commit a burst; say so rather than guess what was meant.
            throw new ModuleStartupException("MedTechEdge:Pipeline:BurstCommitSize must be at least 1, and MedTechEdge:Pipeline:BurstDeferral zero (off) or positive.");
        }

        return builder;
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

    private static string EdgeHubOutput(MedTechEdgeOptions options, MedTechEdge.IotEdge.IotEdgeSettings? identity)
    {
        if (identity is null)
        {
            throw new ModuleStartupException("MedTechEdge:Sink is EdgeHub, but the module does not run under IoT Edge and MedTechEdge:EdgeHub:ConnectionString is empty.");
        }

        return options.EdgeHub.Content switch
        {
            MapOutput.Measurements => ModuleEndpoints.NormalizedOutput,
            MapOutput.Resources => ModuleEndpoints.ObservationsOutput,
            _ => throw new ModuleStartupException($"MedTechEdge:EdgeHub:Content {options.EdgeHub.Content}: the EdgeHub sink sends Measurements (output '{ModuleEndpoints.NormalizedOutput}') or Resources (output '{ModuleEndpoints.ObservationsOutput}'); device messages are already in IoT Hub's route."),
        };
    }

    /// <summary>
    /// The Event Hubs ingress, in a method of its own that is compiled only when the ingress is on: its locals name the
    /// Event Hubs and Blob SDKs' types, and compiling them would load those assemblies into every module (issue 16, memory).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddEventHubIngress(IServiceCollection services, EventHubIngressOptions ingress)
    {
        // Checked here, so a bad setting stops the start with its name; the hub itself is reached once running.
        MedTechEdge.EventHubs.EventHubsEndpoint ingressEndpoint = EventHubsEndpointFactory.Create(ingress, EventHubIngressOptions.Section);
        MedTechEdge.EventHubs.Ingress.EventHubIngressSettings ingressSettings = EventHubIngressSettingsFactory.Create(ingress);
        Azure.Storage.Blobs.BlobContainerClient? checkpointContainer = ingress.CheckpointStore == IngressCheckpointStore.Blob
            ? BlobCheckpointContainerFactory.Create(ingress.Blob)
            : null;
        services.AddSingleton(sp => new EventHubIngressService(ingressEndpoint, ingressSettings, checkpointContainer, sp.GetRequiredService<MedTechStore>(), sp.GetRequiredService<InboxWriter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<EventHubIngressService>());
    }

    internal static void AddStage<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(IServiceCollection services)
        where T : class, IHostedService
    {
        // One instance, reachable both as a hosted service and by its type (tests read its counters).
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }

    /// <summary>The file a mapping setting names: a relative path is looked up in the working folder first (a user's own file), then next to the executable (the bundled samples).</summary>
    internal static string ResolveMappingPath(string path)
    {
        string full = Path.GetFullPath(path);
        return !Path.IsPathRooted(path) && !File.Exists(full) ? Path.Combine(AppContext.BaseDirectory, path) : full;
    }

    private delegate bool TryLoad<T>(string json, out T? mapping, out IReadOnlyList<TemplateError> errors);

    private static T LoadMapping<T>(string path, string kind, TryLoad<T> load)
        where T : class
    {
        string full = ResolveMappingPath(path);
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
