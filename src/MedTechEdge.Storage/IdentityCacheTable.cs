using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The <c>identity</c> table, owned by the Map stage: the FHIR ids a (device, patient, encounter) key resolved to
/// in Lookup mode, and when. Keyed on all three, not on the device alone as the managed service did, so a device
/// that moves to another patient or encounter is looked up again at once (medtech-semantics §6, REC).
/// </summary>
public static class IdentityCacheTable
{
    /// <summary>The entry for a key when it was resolved at or after <paramref name="notBeforeUtc"/>; null otherwise.</summary>
    public static IdentityCacheEntry? Find(SqliteConnection connection, string deviceId, string? patientId, string? encounterId, DateTime notBeforeUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand find = connection.CreateCommand();
        find.CommandText = """
            SELECT patient_ref, device_ref, encounter_ref, resolved_utc FROM identity
            WHERE device_id = $d AND patient_key = $p AND encounter_key = $e AND resolved_utc >= $t;
            """;
        find.Parameters.AddWithValue("$d", deviceId);
        find.Parameters.AddWithValue("$p", patientId ?? string.Empty);
        find.Parameters.AddWithValue("$e", encounterId ?? string.Empty);
        find.Parameters.AddWithValue("$t", notBeforeUtc.Ticks);
        using SqliteDataReader reader = find.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new IdentityCacheEntry(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), new DateTime(reader.GetInt64(3), DateTimeKind.Utc));
    }

    /// <summary>
    /// The patient a device is linked to by an entry of this table, if any: its patient key (the business id the
    /// message named) and the Patient's logical id. A device with entries for several patients gives the latest; only
    /// entries resolved at or after <paramref name="notBeforeUtc"/> count.
    /// </summary>
    public static (string PatientKey, string PatientRef)? FindLinkedPatient(SqliteConnection connection, string deviceId, DateTime notBeforeUtc = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand find = connection.CreateCommand();
        find.CommandText = "SELECT patient_key, patient_ref FROM identity WHERE device_id = $d AND resolved_utc >= $t ORDER BY resolved_utc DESC LIMIT 1;";
        find.Parameters.AddWithValue("$d", deviceId);
        find.Parameters.AddWithValue("$t", notBeforeUtc.Ticks);
        using SqliteDataReader reader = find.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Records (or refreshes) the ids a key resolved to, inside the caller's transaction.</summary>
    public static void Upsert(SqliteConnection connection, SqliteTransaction transaction, string deviceId, string? patientId, string? encounterId, IdentityCacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(entry);
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO identity (device_id, patient_key, encounter_key, patient_ref, device_ref, encounter_ref, resolved_utc)
            VALUES ($d, $p, $e, $pr, $dr, $er, $t)
            ON CONFLICT (device_id, patient_key, encounter_key) DO UPDATE SET
                patient_ref = excluded.patient_ref, device_ref = excluded.device_ref,
                encounter_ref = excluded.encounter_ref, resolved_utc = excluded.resolved_utc;
            """;
        upsert.Parameters.AddWithValue("$d", deviceId);
        upsert.Parameters.AddWithValue("$p", patientId ?? string.Empty);
        upsert.Parameters.AddWithValue("$e", encounterId ?? string.Empty);
        upsert.Parameters.AddWithValue("$pr", entry.PatientId);
        upsert.Parameters.AddWithValue("$dr", entry.DeviceId);
        upsert.Parameters.AddWithValue("$er", (object?)entry.EncounterId ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$t", entry.ResolvedUtc.Ticks);
        upsert.ExecuteNonQuery();
    }

    /// <summary>
    /// Marks the rows of a key (or, with no patient and encounter, every row of a device) as no longer trusted: the
    /// cache lookup (<see cref="Find"/>) skips them, so the key is resolved again, but the device/patient link they
    /// record still counts for <see cref="FindLinkedPatient"/> until the new resolution replaces the row. Deleting them
    /// instead would forget, while the server lacks the Device, which patient the device belongs to.
    /// </summary>
    public static void MarkStale(SqliteConnection connection, SqliteTransaction transaction, string deviceId, string? patientId, string? encounterId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand stale = connection.CreateCommand();
        stale.Transaction = transaction;
        stale.CommandText = patientId is null && encounterId is null
            ? "UPDATE identity SET resolved_utc = 0 WHERE device_id = $d;"
            : "UPDATE identity SET resolved_utc = 0 WHERE device_id = $d AND patient_key = $p AND encounter_key = $e;";
        stale.Parameters.AddWithValue("$d", deviceId);
        stale.Parameters.AddWithValue("$p", patientId ?? string.Empty);
        stale.Parameters.AddWithValue("$e", encounterId ?? string.Empty);
        stale.ExecuteNonQuery();
    }

    /// <summary>Removes entries resolved before <paramref name="beforeUtc"/>; returns how many.</summary>
    public static int DeleteOlderThan(SqliteConnection connection, DateTime beforeUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM identity WHERE resolved_utc < $t;";
        delete.Parameters.AddWithValue("$t", beforeUtc.Ticks);
        return delete.ExecuteNonQuery();
    }

    /// <summary>Rows in the table.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "identity");
}

/// <summary>FHIR logical ids (not references) a key resolved to, and when.</summary>
public sealed record IdentityCacheEntry(string PatientId, string DeviceId, string? EncounterId, DateTime ResolvedUtc);
