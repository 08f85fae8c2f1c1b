using MedTechEdge.Pipeline;
using MedTechEdge.Storage;

namespace MedTechEdge.Configuration;

/// <summary>
/// Every setting of the module, bound from the <c>MedTechEdge</c> section: appsettings.json, then
/// environment variables (<c>MedTechEdge__Fhir__Url</c>), then the command line
/// (<c>--MedTechEdge:Mqtt:Port=1884</c>). docs/configuration.md lists them with their defaults.
/// </summary>
internal sealed class MedTechEdgeOptions
{
    public const string Section = "MedTechEdge";

    public MqttListenerOptions Mqtt { get; set; } = new();

    public ExternalBrokerOptions MqttBroker { get; set; } = new();

    public StoreOptions Store { get; set; } = new();

    public MappingFileOptions Mappings { get; set; } = new();

    public FhirServerOptions Fhir { get; set; } = new();

    public OutputOptions Output { get; set; } = new();

    /// <summary>Where resources go: <c>Auto</c> (the FHIR server when <c>Fhir:Url</c> is set, else NDJSON files), <c>Fhir</c>, <c>Ndjson</c> or <c>EventHub</c>.</summary>
    public SinkKind Sink { get; set; } = SinkKind.Auto;

    public EventHubOptions EventHub { get; set; } = new();

    public EventHubIngressOptions EventHubIngress { get; set; } = new();

    public EdgeHubOptions EdgeHub { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public SimulatorOptions Simulator { get; set; } = new();

    public MedTechEdge.Observability.MetricsOptions Metrics { get; set; } = new();

    public MedTechEdge.Dashboard.DashboardOptions Dashboard { get; set; } = new();
}

/// <summary>The embedded MQTT listener.</summary>
internal sealed class MqttListenerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Loopback by default: devices on other hosts need an explicit address (and, later, authentication).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Topic filters whose publishes are device messages. Empty keeps the library defaults.</summary>
    public List<string> IngestTopicFilters { get; set; } = [];

    /// <summary>
    /// Anonymous clients: unset means allowed only on a loopback bind with no credentials file and no
    /// client certificates, as Mosquitto 2.0 does.
    /// </summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>A credentials file of <c>username:$pbkdf2-sha256$…</c> lines (<c>MedTechEdge mqtt hash-password</c> makes them).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Off, Publish or PublishAndSubscribe; unset means PublishAndSubscribe once devices authenticate.</summary>
    public MedTechEdge.Mqtt.Server.MqttDeviceTopicPolicy? DeviceTopicPolicy { get; set; }

    /// <summary>
    /// <c>On</c> (default): a message from an authenticated connection may only name the device it authenticated as, or
    /// one its credentials line lists (<c>devices=</c>); others become <c>DeviceIdentityMismatch</c> dead letters.
    /// <c>Off</c> trusts the ids in payloads: a risk (docs/mqtt.md, "Device binding").
    /// </summary>
    public DeviceBindingMode DeviceBinding { get; set; } = DeviceBindingMode.On;

    /// <summary>Limits on password checks under a flood of bad CONNECTs (docs/mqtt.md, "Authentication under attack").</summary>
    public MedTechEdge.Mqtt.Server.MqttAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>False to accept only TLS connections.</summary>
    public bool UnencryptedListenerEnabled { get; set; } = true;

    /// <summary>The TLS listener (port 8883 by default), when a certificate is configured.</summary>
    public MedTechEdge.Mqtt.Server.MqttServerTlsOptions? Tls { get; set; }
}

/// <summary>
/// Connect mode: the module subscribes to a broker that already runs on the gateway (Mosquitto,
/// EMQX, HiveMQ), with a persistent session, and acknowledges each message after its durable commit.
/// </summary>
internal sealed class ExternalBrokerOptions
{
    public bool Enabled { get; set; }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Must stay the same across restarts: the broker keeps the session, and unacknowledged messages, under it.</summary>
    public string ClientId { get; set; } = "medtechedge";

    public MedTechEdge.Mqtt.Protocol.MqttProtocolVersion ProtocolVersion { get; set; } = MedTechEdge.Mqtt.Protocol.MqttProtocolVersion.V500;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Empty keeps the defaults <c>devices/+/messages/events/#</c> and <c>medtech/+/telemetry</c>.</summary>
    public List<string> TopicFilters { get; set; } = [];

    public MedTechEdge.Mqtt.Client.MqttClientTlsOptions? Tls { get; set; }
}

/// <summary>Paths of the two MedTech mapping files; relative paths are taken from the module's folder.</summary>
internal sealed class MappingFileOptions
{
    public string Device { get; set; } = "mappings/devicecontent.json";

    public string Fhir { get; set; } = "mappings/fhirmapping.json";
}

/// <summary>The FHIR server Observations are written to. Without a URL the NDJSON sink is used.</summary>
internal sealed class FhirServerOptions
{
    /// <summary>Base URL, e.g. <c>https://fhir.example.org/fhir</c>. Empty: write NDJSON files instead.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>How the module authenticates to the FHIR server.</summary>
    public FhirAuthentication Authentication { get; set; } = FhirAuthentication.None;

    /// <summary>A static bearer token (<see cref="FhirAuthentication.BearerToken"/>).</summary>
    public string? BearerToken { get; set; }

    /// <summary>Entra ID tenant (<see cref="FhirAuthentication.ClientSecret"/>).</summary>
    public string? TenantId { get; set; }

    /// <summary>Application (client) id: the app registration, or a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's secret (<see cref="FhirAuthentication.ClientSecret"/>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>OAuth 2.0 scope; empty means the FHIR server's origin with <c>/.default</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How the module obtains credentials for the FHIR server.</summary>
internal enum FhirAuthentication
{
    /// <summary>No Authorization header.</summary>
    None,

    /// <summary>A fixed token from <c>Fhir:BearerToken</c>.</summary>
    BearerToken,

    /// <summary>Entra ID client credentials: <c>TenantId</c>, <c>ClientId</c>, <c>ClientSecret</c>.</summary>
    ClientSecret,

    /// <summary>The managed identity of the host (system-assigned, or user-assigned with <c>ClientId</c>).</summary>
    ManagedIdentity,
}

/// <summary>The local sink used when no FHIR server or Event Hub is configured.</summary>
internal sealed class OutputOptions
{
    /// <summary>Folder of the NDJSON files (one per resource type).</summary>
    public string NdjsonFolder { get; set; } = "./data/fhir";
}

/// <summary>The sink the Persist stage writes to.</summary>
internal enum SinkKind
{
    Auto,
    Fhir,
    Ndjson,
    EventHub,

    /// <summary>A module output of edgeHub (<c>normalized</c> or <c>observations</c>), carried upstream by an IoT Edge route.</summary>
    EdgeHub,
}

/// <summary>Device messages from IoT Edge routes: the module as a client of edgeHub.</summary>
internal sealed class EdgeHubOptions
{
    /// <summary>
    /// Null (the default): on when the module runs under IoT Edge (the runtime's <c>IOTEDGE_*</c> environment, or an
    /// <c>EdgeHubConnectionString</c>) or when <see cref="ConnectionString"/> is set.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>A connection string of the simulator's form, <c>HostName=…;GatewayHostName=…;DeviceId=…;ModuleId=…;SharedAccessKey=…</c>, instead of the environment. A secret.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The module inputs whose messages are device messages; others are acknowledged and counted, not ingested.</summary>
    public List<string> Inputs { get; set; } = [];

    /// <summary>edgeHub's MQTT port on the gateway.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>TLS to edgeHub, trusting the workload API's trust bundle (or <see cref="CaFile"/>). Off only for a local test broker.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>A PEM file of the CA that edgeHub's certificate chains to, when there is no workload API (the simulator's <c>EdgeModuleCACertificateFile</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>What the <c>EdgeHub</c> sink sends: normalized measurements on output <c>normalized</c> (the default) or FHIR resources on <c>observations</c>.</summary>
    public MapOutput Content { get; set; } = MapOutput.Measurements;

    /// <summary>Lifetime of each SAS token; the connection is renewed with a fresh one at 80 % of it.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the module's status is written to the twin's reported properties (also at every change of configuration).</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// True (default): a routed message that carries <c>iothub-connection-device-id</c>, the device edgeHub authenticated,
    /// is bound to it, so its payload may only name that device (docs/deploy.md, "Device binding of routed messages").
    /// False for a leaf device that legitimately relays other devices' data under its own identity.
    /// </summary>
    public bool BindToConnectionDeviceId { get; set; } = true;

    /// <summary>Sends every new dead letter, with its reason, on output <c>deadletters</c>.</summary>
    public bool ForwardDeadLetters { get; set; } = true;
}

/// <summary>Azure Event Hubs, the upstream sink (<c>MedTechEdge:EventHub</c>).</summary>
internal sealed class EventHubOptions : EventHubConnectionOptions
{
    /// <summary>
    /// An optional cap on one batch in bytes, below the hub's own limit (which the SDK learns from the hub: 1 MB on
    /// Standard and above, 256 KB on Basic); null: the hub's limit. A cap above the hub's limit has no effect.
    /// </summary>
    public int? MaxPublicationBytes { get; set; }

    /// <summary>How long one attempt to send a batch may take (the SDK's try timeout).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What goes up: <c>Measurements</c> (the normalized messages, MedTech's schema, so a cloud MedTech-compatible
    /// service takes over the FHIR part), <c>Resources</c> (the FHIR resources) or <c>DeviceMessages</c> (as received).
    /// </summary>
    public MapOutput Content { get; set; } = MapOutput.Measurements;
}

/// <summary>Built-in simulated bedside devices (<c>--simulate</c>).</summary>
internal sealed class SimulatorOptions
{
    public bool Enabled { get; set; }

    public int Devices { get; set; } = 4;

    public int IntervalMs { get; set; } = 1000;
}
