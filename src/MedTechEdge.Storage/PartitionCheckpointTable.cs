using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The <c>partition_checkpoint</c> table, owned by the Event Hubs ingress: where each partition of a consumer group
/// resumes. The ingress writes a checkpoint only after the events it covers are committed to the inbox, so a row
/// never points past what the store holds.
/// </summary>
public static class PartitionCheckpointTable
{
    /// <summary>The checkpoint of a partition, or null when it has none.</summary>
    public static PartitionCheckpoint? Find(SqliteConnection connection, ConsumerGroupScope scope, string partitionId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand find = connection.CreateCommand();
        find.CommandText = """
            SELECT offset, sequence_number, client_id, modified_utc FROM partition_checkpoint
            WHERE namespace = $n AND event_hub = $h AND consumer_group = $g AND partition_id = $p;
            """;
        PartitionOwnershipTable.Bind(find, scope);
        find.Parameters.AddWithValue("$p", partitionId);
        using SqliteDataReader reader = find.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new PartitionCheckpoint(
            partitionId,
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            new DateTime(reader.GetInt64(3), DateTimeKind.Utc));
    }

    /// <summary>Writes (or replaces) a partition's checkpoint inside the caller's transaction.</summary>
    public static void Upsert(SqliteConnection connection, SqliteTransaction transaction, ConsumerGroupScope scope, PartitionCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(checkpoint);
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO partition_checkpoint (namespace, event_hub, consumer_group, partition_id, offset, sequence_number, client_id, modified_utc)
            VALUES ($n, $h, $g, $p, $o, $s, $c, $t)
            ON CONFLICT (namespace, event_hub, consumer_group, partition_id) DO UPDATE SET
                offset = excluded.offset, sequence_number = excluded.sequence_number,
                client_id = excluded.client_id, modified_utc = excluded.modified_utc;
            """;
        PartitionOwnershipTable.Bind(upsert, scope);
        upsert.Parameters.AddWithValue("$p", checkpoint.PartitionId);
        upsert.Parameters.AddWithValue("$o", (object?)checkpoint.Offset ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$s", (object?)checkpoint.SequenceNumber ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$c", (object?)checkpoint.ClientId ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$t", checkpoint.ModifiedUtc.Ticks);
        upsert.ExecuteNonQuery();
    }
}
