using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>A message's correlation id stays with it through every table, so its log entries can be linked.</summary>
public sealed class CorrelationIdTests
{
    [Fact]
    public void The_Correlation_Id_Survives_Inbox_Outbox_Source_Dead_Letter_And_Requeue()
    {
        using var temp = new TempStore();
        using SqliteConnection connection = temp.Store.OpenConnection();
        var message = new InboxMessage { Source = "mqtt", DeviceId = "d-1", Body = "{}"u8.ToArray() };
        Assert.Matches("^[0-9a-f]{16}$", message.CorrelationId);
        using (var insert = new InboxInsert(connection))
        {
            insert.Insert(message);
        }

        var inbox = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, inbox);
        Assert.Equal(message.CorrelationId, Assert.Single(inbox).CorrelationId);

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            using (var outbox = new OutboxInsert(connection, transaction))
            {
                outbox.Insert(new OutboxRecord { DeviceId = "d-1", ResourceType = "Observation", ResourceId = "o-1", Body = "{}"u8.ToArray(), Source = inbox[0] });
            }

            DeadLetterTable.Insert(connection, transaction, new DeadLetter { Stage = PipelineStage.Map, Kind = DeadLetterKind.NormalizationError, Error = "E", Message = inbox[0] });
            InboxTable.DeleteThrough(connection, transaction, inbox[0].Id);
            transaction.Commit();
        }

        var records = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 10, records);
        Assert.Equal(message.CorrelationId, Assert.Single(records).Source!.CorrelationId);

        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        Assert.Equal(message.CorrelationId, Assert.Single(letters).Message.CorrelationId);

        Assert.True(DeadLetterTable.Requeue(connection, letters[0].Id, DateTime.UtcNow));
        inbox.Clear();
        InboxTable.ReadOldest(connection, 10, inbox);
        Assert.Equal(message.CorrelationId, Assert.Single(inbox).CorrelationId);
    }

    [Fact]
    public void Every_Message_Gets_Its_Own_Correlation_Id()
    {
        var a = new InboxMessage { Source = "mqtt", Body = [] };
        var b = new InboxMessage { Source = "mqtt", Body = [] };
        Assert.NotEqual(a.CorrelationId, b.CorrelationId);
    }
}
