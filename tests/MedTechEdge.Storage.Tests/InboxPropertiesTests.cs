using System.Text;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>Property objects travel as UTF-8 from the ingress to the mapping, through the inbox unchanged.</summary>
public sealed class InboxPropertiesTests
{
    [Fact]
    public void Properties_Round_Trip_As_The_Same_Utf8_Bytes()
    {
        using var temp = new TempStore();
        byte[] properties = Encoding.UTF8.GetBytes("""{"unit":"°C","note":"ü \u0022quoted\u0022"}""");
        using SqliteConnection connection = temp.Store.OpenConnection();
        using (var insert = new InboxInsert(connection))
        {
            insert.Insert(new InboxMessage { Source = "mqtt", Properties = properties, SystemProperties = "{}"u8.ToArray(), Body = [] });
        }

        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, rows);

        Assert.Equal(properties, Assert.Single(rows).Properties);
        Assert.Equal("{}", rows[0].SystemPropertiesJson);
    }

    [Fact]
    public void Rows_Stored_As_Text_By_Earlier_Versions_Read_As_Utf8()
    {
        using var temp = new TempStore();
        using SqliteConnection connection = temp.Store.OpenConnection();
        using (SqliteCommand insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO inbox (received_utc, source, device_id, topic, properties, system_properties, body)
                VALUES (0, 'mqtt', NULL, NULL, '{"a":"é"}', '{}', x'7B7D');
                """;
            insert.ExecuteNonQuery();
        }

        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, rows);

        Assert.Equal(Encoding.UTF8.GetBytes("""{"a":"é"}"""), Assert.Single(rows).Properties);
    }
}
