namespace MedTechEdge.Configuration;

/// <summary>
/// The Event Hubs ingress (<c>MedTechEdge:EventHubIngress</c>): read device messages from an event hub through a
/// consumer group, as MedTech's first stage did. The connection settings are the sink's (<see cref="EventHubConnectionOptions"/>).
/// docs/eventhubs.md, "Ingest from an event hub", explains each one.
/// </summary>
internal sealed class EventHubIngressOptions : EventHubConnectionOptions
{
    public const string Section = "MedTechEdge:EventHubIngress";

    /// <summary>Reads the hub when true; off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The consumer group. <c>$Default</c> works, but give the module a group of its own (as MedTech's docs did for the
    /// service), so another reader of the hub neither steals its partitions nor shares its checkpoints.
    /// </summary>
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>Where a partition without a checkpoint starts: <c>Earliest</c>, <c>Latest</c> or <c>EnqueuedTime</c> (with <see cref="StartEnqueuedTime"/>).</summary>
    public IngressStartPosition StartPosition { get; set; } = IngressStartPosition.Earliest;

    /// <summary>With <see cref="IngressStartPosition.EnqueuedTime"/>: the first events read are those enqueued after this instant.</summary>
    public DateTimeOffset? StartEnqueuedTime { get; set; }

    /// <summary>Where ownership and checkpoints live: <c>Sqlite</c>, the module's store (one instance), or <c>Blob</c> (several instances).</summary>
    public IngressCheckpointStore CheckpointStore { get; set; } = IngressCheckpointStore.Sqlite;

    /// <summary>Azure Blob Storage for ownership and checkpoints, in the SDK's own layout (shared by several instances).</summary>
    public BlobCheckpointOptions Blob { get; set; } = new();

    /// <summary>How often the SDK balances partitions among instances; empty keeps its default (10 s).</summary>
    public TimeSpan? LoadBalancingInterval { get; set; }

    /// <summary>
    /// How partitions are claimed: <c>Greedy</c> (default) claims this instance's fair share in one balancing cycle;
    /// <c>Balanced</c>, the SDK's own default, one partition per cycle.
    /// </summary>
    public IngressLoadBalancing LoadBalancingStrategy { get; set; } = IngressLoadBalancing.Greedy;

    /// <summary>How long a claim lasts without renewal before another instance may take the partition; empty keeps the SDK's default (30 s).</summary>
    public TimeSpan? OwnershipExpiry { get; set; }

    /// <summary>The most events per batch: one inbox commit wait and one checkpoint per batch.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Events read ahead per partition (the SDK's prefetch); 0 or at least <see cref="MaxBatchSize"/>.</summary>
    public int PrefetchCount { get; set; } = 300;

    /// <summary>
    /// The longest a busy partition goes without a checkpoint (one per batch would cost a transaction per batch); a
    /// batch that is not full is checkpointed at once. Zero: after every batch.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The largest event body taken into the inbox; a larger one is an <c>EventTooLarge</c> dead letter. 1 MiB: the
    /// largest event a Standard hub carries, so on Standard nothing the hub accepts is refused; Premium and Dedicated
    /// allow larger events, which are no device readings and would hold the store's memory per row.
    /// </summary>
    public int MaxEventBytes { get; set; } = 1_048_576;

    /// <summary>
    /// Bind an event that carries <c>iothub-connection-device-id</c> (routed by IoT Hub, which sets it from the device's
    /// authentication) to that device, so it may name no other device id. Events without it are unbound.
    /// </summary>
    public bool BindToConnectionDeviceId { get; set; } = true;
}

/// <summary>Where a partition without a checkpoint starts reading.</summary>
internal enum IngressStartPosition
{
    /// <summary>The oldest event the hub still holds.</summary>
    Earliest,

    /// <summary>Only events enqueued after the partition is first read.</summary>
    Latest,

    /// <summary>Events enqueued after <c>StartEnqueuedTime</c>.</summary>
    EnqueuedTime,
}

/// <summary>The checkpoint stores this build offers.</summary>
internal enum IngressCheckpointStore
{
    /// <summary>The module's SQLite store: one instance, nothing else to run.</summary>
    Sqlite,

    /// <summary>An Azure Blob Storage container (<c>EventHubIngress:Blob</c>) in the SDK's layout, shared by every instance.</summary>
    Blob,
}

/// <summary>
/// Azure Blob Storage as the checkpoint store (<c>MedTechEdge:EventHubIngress:Blob</c>): a connection string, or a
/// service URI with an Entra ID identity of the same kinds as the hub's.
/// </summary>
internal sealed class BlobCheckpointOptions
{
    /// <summary><c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…</c>. A secret: keep it out of files.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service, e.g. <c>https://contoso.blob.core.windows.net</c>, with <see cref="Authentication"/>.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>How the module signs in with <see cref="ServiceUri"/>: <c>ManagedIdentity</c>, <c>ClientSecret</c> or <c>Default</c>.</summary>
    public EventHubConnectionOptions.Credential? Authentication { get; set; }

    /// <summary>Entra ID tenant (<c>ClientSecret</c>).</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration, or a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's secret. A secret: keep it out of files.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The container that holds the checkpoint and ownership blobs.</summary>
    public string? ContainerName { get; set; }
}
