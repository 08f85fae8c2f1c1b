namespace MedTechEdge.Storage;

/// <summary>
/// The store's tables and the one stage that owns each. The owner is the only stage that inserts rows;
/// the next stage removes them in the same transaction that writes its own output, so a crash at any
/// instant leaves every message in exactly one table.
/// <code>
///   inbox        owner: Ingest     raw device messages, acknowledged to the device once committed here
///   outbox       owner: Map        FHIR resources ready to persist (Normalize, Group, Transform ran)
///   dead_letter  owner: any stage  messages that can never succeed, with the reason and the original message
///   identity     owner: Map        resolved Patient / Device / Encounter ids, so a restart does not search the FHIR
///                                  server again for every device; in Create mode also the device/patient links the
///                                  module made, so a device is never relinked to another patient
///   open_window  owner: Map        open SampledData windows (hour, day, correlation id): every slot so far, copied
///                                  to the outbox once per flush interval and when the window closes
/// </code>
/// </summary>
internal static class StoreSchema
{
    public const int Version = 6;

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
        // 5 → 6: the device ids a message's authenticated sender may speak for (NULL: unbound), checked by Map and kept
        // through a dead letter and its requeue.
        // Open windows keep the patient and encounter their messages named, for the outbox rows they are copied to.
        "ALTER TABLE inbox ADD COLUMN device_binding TEXT;" + Version6Columns,
    ];

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
        CREATE TABLE IF NOT EXISTS outbox (
            id            INTEGER PRIMARY KEY,
            created_utc   INTEGER NOT NULL,
            device_id     TEXT    NOT NULL,
            resource_type TEXT    NOT NULL,
            resource_id   TEXT    NOT NULL,
            body          BLOB    NOT NULL,
            source        BLOB
        );
        """ + DeadLetterTableV5 + IdentityTable + WindowTable + Version6Columns;
}
