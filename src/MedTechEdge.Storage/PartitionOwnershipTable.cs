using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The <c>partition_ownership</c> table, owned by the Event Hubs ingress: the claims of its load balancer. A claim is
/// optimistic, like the SDK's blob store with its ETag conditions: it succeeds only when the row still has the version
/// the claimant read (or, for a first claim, when there is no row), so of two processors racing for a partition one
/// wins and the other learns it lost. Every write runs in the caller's transaction, under the store's write lock.
/// </summary>
public static class PartitionOwnershipTable
{
    /// <summary>Adds every ownership of <paramref name="scope"/> to <paramref name="output"/>.</summary>
    public static void List(SqliteConnection connection, ConsumerGroupScope scope, List<PartitionOwnership> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand list = connection.CreateCommand();
        list.CommandText = """
            SELECT partition_id, owner_id, version, modified_utc FROM partition_ownership
            WHERE namespace = $n AND event_hub = $h AND consumer_group = $g ORDER BY partition_id;
            """;
        Bind(list, scope);
        using SqliteDataReader reader = list.ExecuteReader();
        while (reader.Read())
        {
            output.Add(new PartitionOwnership(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), new DateTime(reader.GetInt64(3), DateTimeKind.Utc)));
        }
    }

    /// <summary>
    /// Claims a partition for <paramref name="ownerId"/>: inserts the row when <paramref name="expectedVersion"/> is
    /// null and there is none, or updates it when its version is still <paramref name="expectedVersion"/>. Returns the
    /// new ownership, or null when another claim came first (the row exists, or its version moved on).
    /// </summary>
    public static PartitionOwnership? TryClaim(SqliteConnection connection, SqliteTransaction transaction, ConsumerGroupScope scope, string partitionId, string ownerId, long? expectedVersion, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand claim = connection.CreateCommand();
        claim.Transaction = transaction;
        long version = (expectedVersion ?? 0) + 1;
        claim.CommandText = expectedVersion is null
            ? """
                INSERT INTO partition_ownership (namespace, event_hub, consumer_group, partition_id, owner_id, version, modified_utc)
                VALUES ($n, $h, $g, $p, $o, $v, $t) ON CONFLICT DO NOTHING;
                """
            : """
                UPDATE partition_ownership SET owner_id = $o, version = $v, modified_utc = $t
                WHERE namespace = $n AND event_hub = $h AND consumer_group = $g AND partition_id = $p AND version = $expected;
                """;
        Bind(claim, scope);
        claim.Parameters.AddWithValue("$p", partitionId);
        claim.Parameters.AddWithValue("$o", ownerId);
        claim.Parameters.AddWithValue("$v", version);
        claim.Parameters.AddWithValue("$t", nowUtc.Ticks);
        if (expectedVersion is long expected)
        {
            claim.Parameters.AddWithValue("$expected", expected);
        }

        return claim.ExecuteNonQuery() == 1 ? new PartitionOwnership(partitionId, ownerId, version, nowUtc) : null;
    }

    internal static void Bind(SqliteCommand command, ConsumerGroupScope scope)
    {
        command.Parameters.AddWithValue("$n", scope.Namespace);
        command.Parameters.AddWithValue("$h", scope.EventHub);
        command.Parameters.AddWithValue("$g", scope.ConsumerGroup);
    }
}
