using System.Text;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>A sender's device binding: what it allows, and that it survives every place a message is kept.</summary>
public sealed class DeviceBindingTests
{
    [Theory]
    [InlineData("devA", true)]
    [InlineData("mon-1", true)]
    [InlineData("mon-", true)]
    [InlineData("bed12-a-b", true)]
    [InlineData("pump-7", true)]
    [InlineData("pump-77", false)]
    [InlineData("devB", false)]
    [InlineData("xmon-1", false)]
    [InlineData("DEVA", false)]
    public void The_Identity_And_Its_Listed_Ids_And_Patterns_Are_Allowed_And_Nothing_Else(string device, bool allowed)
    {
        var binding = new DeviceBinding("devA", ["mon-*", "bed12-*-b", "pump-7"]);

        Assert.Equal(allowed, binding.Allows(device));
    }

    [Fact]
    public async Task A_Binding_Survives_The_Inbox_A_Dead_Letter_And_The_Packed_Source_Of_An_Outbox_Row()
    {
        using var temp = new TempStore();
        var binding = new DeviceBinding("hub-1", ["mon-*"]);
        await using (var writer = new InboxWriter(temp.Store, new WorkSignal()))
        {
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "mqtt", DeviceId = "hub-1", Binding = binding, Body = "{}"u8.ToArray() });
        }

        using SqliteConnection connection = temp.Store.OpenConnection();
        var inbox = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, inbox);
        InboxMessage read = Assert.Single(inbox);
        Assert.Equal("hub-1", read.Binding?.Identity);
        Assert.Equal(["mon-*"], read.Binding!.Allowed);

        InboxMessage unpacked = SourceMessageCodec.Decode(SourceMessageCodec.Encode(read));
        Assert.Equal(binding.Encode(), unpacked.Binding?.Encode());
        Assert.Null(SourceMessageCodec.Decode(SourceMessageCodec.Encode(new InboxMessage { Source = "mqtt", Body = [] })).Binding);

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            DeadLetterTable.Insert(connection, transaction, new DeadLetter { Stage = PipelineStage.Map, Kind = DeadLetterKind.DeviceIdentityMismatch, Error = "e", Message = unpacked });
            transaction.Commit();
        }

        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        Assert.True(DeadLetterTable.Requeue(connection, Assert.Single(letters).Id, DateTime.UtcNow));
        inbox.Clear();
        InboxTable.ReadOldest(connection, 10, inbox);
        Assert.Equal(2, inbox.Count);
        Assert.Equal("hub-1", inbox[1].Binding?.Identity);
        Assert.Equal(Encoding.UTF8.GetBytes(binding.Encode()), Encoding.UTF8.GetBytes(inbox[1].Binding!.Encode()));
    }
}
