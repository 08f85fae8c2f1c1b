namespace MedTechEdge.Storage;

/// <summary>
/// The store's tables and the one stage that owns each. The owner is the only stage that inserts rows;
/// the next stage removes them in the same transaction that writes its own output, so a crash at any
/// instant leaves every message in exactly one table.
/// <code>
///   inbox        owner: Ingest     raw device messages, acknowledged to the device once committed here
///   outbox       owner: Map        FHIR resources ready to persist (Normalize, Group, Transform ran), with typed
///                                  columns for Persist: kind, identity key (device, patient, encounter), device time
///   source_message owner: Map      the device message outbox rows were made from, once per message; Persist
///                                  deletes it with the last row that references it
///   dead_letter  owner: any stage  messages that can never succeed, with the reason and the original message
///   identity     owner: Map        resolved Patient / Device / Encounter ids, so a restart does not search the FHIR
///                                  server again for every device; in Create mode also the device/patient links the
///                                  module made, so a device is never relinked to another patient
///   open_window  owner: Map        open SampledData windows (hour, day, correlation id): every slot so far, copied
///                                  to the outbox once per flush interval and when the window closes
///   partition_ownership  owner: Event Hubs ingress   which processor owns which partition of a hub's consumer
///                                  group, with a version that changes on every claim (the SDK's ETag)
///   partition_checkpoint owner: Event Hubs ingress   where each partition resumes: the last event durably in inbox
/// </code>
/// </summary>
internal static class StoreSchema
{
    public const int Version = 8;

    /// <summary>Steps from one version to the next, applied in order to an older store at open.</summary>
    public static readonly string[] Migrations =
    [
        string.Empty,
        // 1 → 2: dead letters keep the message's receive time, so a requeued message keeps its ingestion time.
        "ALTER TABLE dead_letter ADD COLUMN received_utc INTEGER NOT NULL DEFAULT 0;",
        // 2 → 3: the identity cache, the open SampledData windows, and the device message an outbox row came from.
        IdentityTable + WindowTable + "ALTER TABLE outbox ADD COLUMN source BLOB;",
        // 3 → 4: the correlation id that links a message's log entries; rows from before have none (NULL) and get
        // a fresh one when read.
        "ALTER TABLE inbox ADD COLUMN correlation_id TEXT; ALTER TABLE dead_letter ADD COLUMN correlation_id TEXT;",
        // 4 → 5: dead-letter ids are never reused (AUTOINCREMENT), so "every dead letter after id N" stays true after a
        // requeue empties the table; SQLite can add AUTOINCREMENT only by rebuilding the table.
        DeadLetterTableV5.Replace("CREATE TABLE IF NOT EXISTS dead_letter (", "CREATE TABLE dead_letter_v5 (", StringComparison.Ordinal) + """
            INSERT INTO dead_letter_v5 (id, created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body, received_utc, correlation_id)
                SELECT id, created_utc, stage, error_kind, error, source, device_id, topic, properties, system_properties, body, received_utc, correlation_id FROM dead_letter;
            DROP TABLE dead_letter;
            ALTER TABLE dead_letter_v5 RENAME TO dead_letter;
            """,
        // 5 → 6: outbox ids are never reused (AUTOINCREMENT: Persist reads after its last id, and a reused id below it
        // was read late, out of order); each source message is stored once; typed columns replace searches of the body.
        // The device ids a message's authenticated sender may speak for (NULL: unbound), checked by Map and kept through
        // a dead letter and its requeue; open windows keep the patient and encounter their messages named.
        "ALTER TABLE inbox ADD COLUMN device_binding TEXT;" + Version6Columns + OutboxV6Migration(),
        // 6 → 7: the Event Hubs ingress's checkpoint store (partition ownership and checkpoints); nothing else changes.
        PartitionTables,
        // 7 → 8: the source index holds every outbox row, so COUNT(*) of the outbox walks it instead of the table.
        "DROP INDEX IF EXISTS outbox_source;" + OutboxSourceIndex,
    ];

    // Keyed as the SDK keys its checkpoint stores: namespace, hub and consumer group (lower case, as the SDK's blob
    // store names its blobs), then the partition. version is the ownership's ETag: a claim succeeds only against the
    // version it read. offset is text: the service's offsets are opaque strings (Azure.Messaging.EventHubs 5.12's
    // OffsetString). Both WITHOUT ROWID: a few rows per partition, always read by their key.
    private const string PartitionTables = """
        CREATE TABLE IF NOT EXISTS partition_ownership (
            namespace       TEXT    NOT NULL,
            event_hub       TEXT    NOT NULL,
            consumer_group  TEXT    NOT NULL,
            partition_id    TEXT    NOT NULL,
            owner_id        TEXT    NOT NULL,
            version         INTEGER NOT NULL,
            modified_utc    INTEGER NOT NULL,
            PRIMARY KEY (namespace, event_hub, consumer_group, partition_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS partition_checkpoint (
            namespace       TEXT    NOT NULL,
            event_hub       TEXT    NOT NULL,
            consumer_group  TEXT    NOT NULL,
            partition_id    TEXT    NOT NULL,
            offset          TEXT,
            sequence_number INTEGER,
            client_id       TEXT,
            modified_utc    INTEGER NOT NULL,
            PRIMARY KEY (namespace, event_hub, consumer_group, partition_id)
        ) WITHOUT ROWID;
        """;

    private const string SourceMessageTable = """
        CREATE TABLE IF NOT EXISTS source_message (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            message BLOB    NOT NULL
        );
        """;

    // kind holds OutboxKind values; patient_id and encounter_id are business ids from the measurement (not FHIR ids).
    private const string OutboxTableV6 = """
        CREATE TABLE IF NOT EXISTS outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            created_utc     INTEGER NOT NULL,
            device_id       TEXT    NOT NULL,
            kind            INTEGER NOT NULL,
            resource_type   TEXT    NOT NULL,
            resource_id     TEXT    NOT NULL,
            body            BLOB    NOT NULL,
            source_id       INTEGER,
            patient_id      TEXT,
            encounter_id    TEXT,
            device_time_utc INTEGER
        );
        """;

    // Persist deletes a source message with the last row that references it: one index lookup per delete. Every row
    // has an entry, those without a source (identities, windows) too: SQLite counts a table's rows on its smallest
    // index that holds them all (never a partial one), and this one is a few bytes a row, where the table is the FHIR
    // JSON itself. So the backlog gauges (StoreGauges, read by every scrape, the dashboard every 2 s and a drain) count
    // 100,000 waiting resources in a millisecond rather than reading 120 MB of pages.
    private const string OutboxSourceIndex = "CREATE INDEX IF NOT EXISTS outbox_source ON outbox (source_id);";

    /// <summary>
    /// Rebuilds outbox (SQLite adds AUTOINCREMENT only that way), keeping ids and order. Source messages that were
    /// copied into several rows become one row each (equal bytes); the kind comes from the resource type (a body with
    /// valueSampledData is a window), the device time from the body's effectivePeriod.end, effectiveDateTime or
    /// occurrenceTimeUtc (to the millisecond; 621355968000000000 is 1970-01-01 in .NET ticks), and the patient and encounter from a
    /// Measurement's own fields or a Patient's identifier. An Observation's business ids are not in its body: null.
    /// </summary>
    private static string OutboxV6Migration() => SourceMessageTable + """
        INSERT INTO source_message (message) SELECT DISTINCT source FROM outbox WHERE source IS NOT NULL;
        CREATE INDEX source_message_bytes ON source_message (message);
        """ + OutboxTableV6.Replace("CREATE TABLE IF NOT EXISTS outbox (", "CREATE TABLE outbox_v6 (", StringComparison.Ordinal) + """
        INSERT INTO outbox_v6 (id, created_utc, device_id, kind, resource_type, resource_id, body, source_id, patient_id, encounter_id, device_time_utc)
            SELECT o.id, o.created_utc, o.device_id,
                CASE
                    WHEN o.resource_type IN ('Patient', 'Device', 'Encounter') THEN 2
                    WHEN o.resource_type = 'Measurement' THEN 3
                    WHEN o.resource_type = 'DeviceMessage' THEN 4
                    WHEN o.resource_type = 'Observation' AND instr(CAST(o.body AS TEXT), '"valueSampledData"') > 0 THEN 1
                    ELSE 0
                END,
                o.resource_type, o.resource_id, o.body,
                (SELECT s.id FROM source_message s WHERE s.message = o.source),
                CASE WHEN json_valid(CAST(o.body AS TEXT)) THEN
                    CASE o.resource_type
                        WHEN 'Measurement' THEN json_extract(CAST(o.body AS TEXT), '$.patientId')
                        WHEN 'Patient' THEN json_extract(CAST(o.body AS TEXT), '$.identifier[0].value')
                    END
                END,
                CASE WHEN o.resource_type = 'Measurement' AND json_valid(CAST(o.body AS TEXT)) THEN json_extract(CAST(o.body AS TEXT), '$.encounterId') END,
                CASE WHEN o.resource_type IN ('Observation', 'Measurement') AND json_valid(CAST(o.body AS TEXT)) THEN
                    CAST(round(unixepoch(COALESCE(
                        json_extract(CAST(o.body AS TEXT), '$.effectivePeriod.end'),
                        json_extract(CAST(o.body AS TEXT), '$.effectiveDateTime'),
                        json_extract(CAST(o.body AS TEXT), '$.occurrenceTimeUtc')), 'subsec') * 1000) AS INTEGER) * 10000 + 621355968000000000
                END
            FROM outbox o ORDER BY o.id;
        DROP INDEX source_message_bytes;
        DROP TABLE outbox;
        ALTER TABLE outbox_v6 RENAME TO outbox;
        """ + OutboxSourceIndex;

    private const string DeadLetterTableV5 = """
        CREATE TABLE IF NOT EXISTS dead_letter (
            id                INTEGER PRIMARY KEY AUTOINCREMENT,
            created_utc       INTEGER NOT NULL,
            stage             TEXT    NOT NULL,
            error_kind        TEXT    NOT NULL,
            error             TEXT    NOT NULL,
            source            TEXT    NOT NULL,
            device_id         TEXT,
            topic             TEXT,
            properties        TEXT    NOT NULL,
            system_properties TEXT    NOT NULL,
            body              BLOB    NOT NULL,
            received_utc      INTEGER NOT NULL DEFAULT 0,
            correlation_id    TEXT
        );
        """;

    // Columns version 6 added to tables that the migrations above create in their older shape.
    private const string Version6Columns = """
        ALTER TABLE dead_letter ADD COLUMN device_binding TEXT;
        ALTER TABLE open_window ADD COLUMN patient_id TEXT;
        ALTER TABLE open_window ADD COLUMN encounter_id TEXT;
        """;

    private const string WindowTable = """
        CREATE TABLE IF NOT EXISTS open_window (
            resource_id     TEXT    PRIMARY KEY,
            device_id       TEXT    NOT NULL,
            body            BLOB    NOT NULL,
            closes_utc      INTEGER NOT NULL,
            updated_utc     INTEGER NOT NULL,
            dirty_since_utc INTEGER NOT NULL,
            flushed         INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    private const string IdentityTable = """
        CREATE TABLE IF NOT EXISTS identity (
            device_id     TEXT    NOT NULL,
            patient_key   TEXT    NOT NULL,
            encounter_key TEXT    NOT NULL,
            patient_ref   TEXT    NOT NULL,
            device_ref    TEXT    NOT NULL,
            encounter_ref TEXT,
            resolved_utc  INTEGER NOT NULL,
            PRIMARY KEY (device_id, patient_key, encounter_key)
        ) WITHOUT ROWID;
        """;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS inbox (
            id                INTEGER PRIMARY KEY,
            received_utc      INTEGER NOT NULL,
            source            TEXT    NOT NULL,
            device_id         TEXT,
            topic             TEXT,
            properties        TEXT    NOT NULL,
            system_properties TEXT    NOT NULL,
            body              BLOB    NOT NULL,
            correlation_id    TEXT,
            device_binding    TEXT
        );
        """ + OutboxTableV6 + OutboxSourceIndex + SourceMessageTable + DeadLetterTableV5 + IdentityTable + WindowTable + Version6Columns + PartitionTables;
}
