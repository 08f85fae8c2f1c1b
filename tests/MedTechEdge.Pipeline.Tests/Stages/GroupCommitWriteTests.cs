using System.Text;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Pipeline.Tests.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>With the inbox writer, Map's and Persist's writes ride its group commit instead of transactions of their own (issue 16 §1).</summary>
public sealed class GroupCommitWriteTests
{
    private const string Good = MapStageTests.Good;

    [Fact]
    public async Task Map_Writes_Its_Batch_And_Removes_It_From_The_Inbox_Through_The_Writer()
    {
        using var harness = new PipelineHarness();
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        foreach (string body in new[] { Good, "not json", Good.Replace("17:00:00", "17:00:05", StringComparison.Ordinal) })
        {
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "test", DeviceId = "d1", Body = Encoding.UTF8.GetBytes(body) });
        }

        long before = writer.TransactionCount;
        MapStage map = harness.Map(writer);
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => map.MappedCount == 3, "the batch to be mapped");
        await map.StopAsync(CancellationToken.None);

        // One batch (all three were in the inbox before Map started): one write, in one transaction of the writer.
        Assert.Equal(1, writer.WriteCount);
        Assert.Equal(before + 1, writer.TransactionCount);
        Assert.Equal(0, harness.Counts().Inbox);
        Assert.Equal(["Patient", "Device", "Observation", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
        Assert.Equal("InvalidDeviceMessage", Assert.Single(harness.DeadLetters()).KindName);
    }

    [Fact]
    public async Task Persist_Removes_Written_Records_And_Records_Dead_Letters_Through_The_Writer()
    {
        using var harness = new PipelineHarness();
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        harness.AddOutbox(("Observation", "good-1"), ("Observation", "bad"), ("Observation", "good-2"));
        var sink = new PartiallyRejectingSink("bad");
        PersistStage persist = harness.Persist(sink, writer);

        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        Assert.Equal(["good-1", "good-2"], sink.Written);
        Assert.InRange(writer.WriteCount, 1, 3);
        Assert.Equal(writer.WriteCount, writer.TransactionCount);
        Assert.Equal("FhirRejected", Assert.Single(harness.DeadLetters()).KindName);
        Assert.Equal(2, persist.PersistedCount);
    }
}
