namespace MedTechEdge.Pipeline;

/// <summary>Batch sizes and timings of the stages (configuration section <c>MedTechEdge:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Most inbox messages the Map stage moves in one transaction.</summary>
    public int MapBatchSize { get; set; } = 512;

    /// <summary>
    /// How long the Map stage lets a batch grow before it maps one smaller than <see cref="MapBatchSize"/>. Device
    /// messages that arrive one by one would otherwise be mapped, committed and written to the sink one by one: a store
    /// transaction and a sink write (an fsync or a Bundle) per message, on the cores that acknowledge the next ones.
    /// The cost is at most this much more latency per Observation; a backlog (full batches) never waits. Zero maps at once.
    /// </summary>
    public TimeSpan MapLinger { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How long the Map stage may hold messages back while a burst waits on the group commit, so that the cores go to
    /// acknowledging it first (issue 16 §1). A burst is a commit interval in which each inbox commit released at least
    /// <see cref="BurstCommitSize"/> device acknowledgements on average (MQTT and edgeHub messages; Event Hubs batches
    /// and replays never count). Neither the oldest waiting message nor the stage itself waits
    /// longer than this; then the stage maps until it has caught up, so under sustained load it maps as it always did.
    /// Zero: never hold back.
    /// </summary>
    public TimeSpan BurstDeferral { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Device acknowledgements per inbox commit, on average since the Map stage last looked, from which it counts ingest
    /// as a burst; at least 1. Devices that each send one message at a time, even a thousand of them at 1,000 msg/s, make
    /// commits of a few where an fsync takes a millisecond or two; slow storage makes them larger.
    /// </summary>
    public int BurstCommitSize { get; set; } = 32;

    /// <summary>Most resources the Persist stage sends in one batch (one FHIR transaction Bundle).</summary>
    public int PersistBatchSize { get; set; } = 100;

    /// <summary>
    /// How many Bundles the Persist stage keeps in flight. Records are split into this many lanes by
    /// device, so each device's writes stay in order.
    /// </summary>
    public int PersistConcurrency { get; set; } = 4;

    /// <summary>How often a stage looks at its table when nobody signals it.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a transient sink failure; doubles up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between retries of a transient sink failure.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long new SampledData values may wait in their open window before the window is written (a window is also
    /// written when its hour or day ends). The FHIR server then sees one write per window per interval instead of
    /// one per device message.
    /// </summary>
    public TimeSpan SampledDataFlushInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a stopping module keeps mapping and persisting, after its ingresses stopped, until the inbox and outbox
    /// are empty (SampledData windows are written first). Zero, the default at the edge, stops at once: the store
    /// keeps the data for the next start. A cloud instance on replica-local storage sets it (docs/deploy.md).
    /// </summary>
    public TimeSpan DrainOnStop { get; set; } = TimeSpan.Zero;

    /// <summary>What the Map stage produces for the sink; the module sets it from <c>EventHub:Content</c> for the Event Hubs sink.</summary>
    public MapOutput Output { get; set; } = MapOutput.Resources;

    /// <summary>How Observations find their Patient, Device and Encounter (medtech-semantics §6). Lookup modes need a FHIR server.</summary>
    public Identity.IdentityResolutionType ResolutionType { get; set; } = Identity.IdentityResolutionType.Create;

    /// <summary>The identifier system of Device searches in Lookup modes (the service's <c>DefaultDeviceIdentifierSystem</c>); blank means none.</summary>
    public string? DefaultDeviceIdentifierSystem { get; set; }

    /// <summary>
    /// How long a Lookup result is trusted before the server is asked again. Results are kept in the store, keyed by
    /// device, patient and encounter, so a restart does not search again for every device.
    /// </summary>
    public TimeSpan IdentityCacheExpiry { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a permanent lookup failure (no such Device, a Device without a patient, …) is remembered, so messages
    /// from an unknown device are dead-lettered without a search per batch. A Device created on the server is found
    /// once this has passed; messages dead-lettered meanwhile can be requeued. Zero searches again for every batch.
    /// </summary>
    public TimeSpan IdentityFailureCacheExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A message that matches no template of the device mapping is no error in MedTech: it is counted
    /// (<c>medtechedge_unmatched_messages_total</c>) and dropped. True keeps each one as an <c>UnmatchedMessage</c> dead letter instead.
    /// </summary>
    public bool DeadLetterUnmatched { get; set; }

    /// <summary>
    /// How far ahead of the gateway's clock a measurement's time may be. A later one is a <c>TimestampOutOfRange</c>
    /// dead letter: a device clock that was never set, or set wrongly, must not write the future into a record.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The earliest measurement time accepted (UTC). An earlier one (1970 or year 1 from a device that lost its clock)
    /// is a <c>TimestampOutOfRange</c> dead letter. Lower it to replay older data.
    /// </summary>
    public DateTime EarliestTimestamp { get; set; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
