using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>Statements on the <c>outbox</c> table. Owner: Map. Drained by Persist.</summary>
public static class OutboxTable
{
    /// <summary>Prepares an insert for use in a Map transaction.</summary>
    public static SqliteCommand CreateInsert(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO outbox (created_utc, device_id, resource_type, resource_id, body, source)
            VALUES ($created, $device, $type, $id, $body, $source);
            """;
        insert.Parameters.Add("$created", SqliteType.Integer);
        insert.Parameters.Add("$device", SqliteType.Text);
        insert.Parameters.Add("$type", SqliteType.Text);
        insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.Add("$body", SqliteType.Blob);
        insert.Parameters.Add("$source", SqliteType.Blob);
        return insert;
    }

    /// <summary>Inserts one record with a command from <see cref="CreateInsert"/>.</summary>
    public static void Insert(SqliteCommand insert, OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(insert);
        ArgumentNullException.ThrowIfNull(record);
        SqliteParameterCollection p = insert.Parameters;
        p[0].Value = record.CreatedUtc.Ticks;
        p[1].Value = record.DeviceId;
        p[2].Value = record.ResourceType;
        p[3].Value = record.ResourceId;
        p[4].Value = record.Body;
        p[5].Value = record.Source is null ? DBNull.Value : SourceMessageCodec.Encode(record.Source);
        insert.ExecuteNonQuery();
    }

    /// <summary>Reads the oldest records, up to <paramref name="limit"/>, in production order.</summary>
    public static void ReadOldest(SqliteConnection connection, int limit, List<OutboxRecord> output) => ReadAfter(connection, 0, limit, output);

    /// <summary>
    /// Reads the oldest records with an id above <paramref name="afterId"/>, up to <paramref name="limit"/>, in
    /// production order. Ids grow while any row stays in the table (a new row gets the largest id plus one), so a
    /// reader that keeps its in-flight rows in the table sees every later row above its last id.
    /// </summary>
    public static void ReadAfter(SqliteConnection connection, long afterId, int limit, List<OutboxRecord> output)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, created_utc, device_id, resource_type, resource_id, body, source
            FROM outbox WHERE id > $after ORDER BY id LIMIT $limit;
            """;
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            output.Add(new OutboxRecord
            {
                Id = reader.GetInt64(0),
                CreatedUtc = new DateTime(reader.GetInt64(1), DateTimeKind.Utc),
                DeviceId = reader.GetString(2),
                ResourceType = reader.GetString(3),
                ResourceId = reader.GetString(4),
                Body = (byte[])reader.GetValue(5),
                Source = reader.IsDBNull(6) ? null : SourceMessageCodec.Decode((byte[])reader.GetValue(6)),
            });
        }
    }

    /// <summary>Removes one delivered (or dead-lettered) record.</summary>
    public static void Delete(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM outbox WHERE id = $id;";
        delete.Parameters.AddWithValue("$id", id);
        delete.ExecuteNonQuery();
    }

    /// <summary>Counts the records waiting.</summary>
    public static long Count(SqliteConnection connection) => StoreQueries.Count(connection, "outbox");
}
