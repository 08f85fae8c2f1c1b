using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Pipeline.Tests.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Stages;

public sealed class PersistStageTests
{
    [Fact]
    public async Task An_Outage_Keeps_Everything_In_The_Outbox_And_Delivers_It_In_Order_Once_The_Sink_Is_Back()
    {
        using var harness = new PipelineHarness();
        harness.AddOutbox(("Observation", "o1"), ("Observation", "o2"), ("Observation", "o3"));
        var sink = new RevivableSink(failures: 5);
        PersistStage persist = harness.Persist(sink);

        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        Assert.True(sink.Calls > 5);
        Assert.Equal(["o1", "o2", "o3"], sink.Written);
        Assert.Equal(3, persist.PersistedCount);
        Assert.Equal(0, harness.Counts().DeadLetters);
    }

    [Fact]
    public async Task A_Rejected_Resource_Goes_To_Dead_Letters_And_The_Rest_Of_Its_Batch_Is_Delivered()
    {
        using var harness = new PipelineHarness();
        harness.AddOutbox(("Observation", "good-1"), ("Observation", "bad"), ("Observation", "good-2"));
        var sink = new PartiallyRejectingSink("bad");
        PersistStage persist = harness.Persist(sink);

        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        Assert.Equal(["good-1", "good-2"], sink.Written);
        var letter = Assert.Single(harness.DeadLetters());
        Assert.Equal(MedTechEdge.Storage.PipelineStage.Persist, letter.Stage);
        Assert.Equal("FhirRejected", letter.KindName);
        Assert.Contains("bad", letter.Error, StringComparison.Ordinal);
        Assert.Equal("Observation/bad", letter.Message.Topic);
    }

    [Fact]
    public async Task An_Exception_For_One_Record_Dead_Letters_Only_That_Record_After_Bounded_Retries()
    {
        using var harness = new PipelineHarness();
        harness.Options.PersistConcurrency = 1;
        harness.AddOutbox(("Observation", "good-1"), ("Observation", "poison"), ("Observation", "good-2"), ("Observation", "good-3"));
        var sink = new ThrowingSink("poison");
        PersistStage persist = harness.Persist(sink);

        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        // The lane did not stall: the records around it were written, in order, and only the poison one is a letter.
        Assert.Equal(["good-1", "good-2", "good-3"], sink.Written);
        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal((PipelineStage.Persist, DeadLetterKind.SinkError, "Observation/poison"), (letter.Stage, letter.Kind, letter.Message.Topic));
        Assert.Contains("bug while serializing poison", letter.Error, StringComparison.Ordinal);
        // One try with its batch-mates, then PersistStage.MaxUnexpectedAttempts alone.
        Assert.Equal(PersistStage.MaxUnexpectedAttempts + 1, sink.PoisonedCalls);
    }
}

public sealed class PersistConcurrencyTests
{
    [Fact]
    public async Task Several_Bundles_Are_In_Flight_And_Each_Device_Keeps_Its_Order()
    {
        using var harness = new PipelineHarness();
        harness.Options.PersistBatchSize = 5;
        harness.Options.PersistConcurrency = 4;
        var records = new List<(string, string, string)>();
        for (int i = 0; i < 400; i++)
        {
            records.Add(("Observation", $"o{i:000}", "dev-" + (i % 16)));
        }

        harness.AddOutbox([.. records]);
        var sink = new SlowRecordingSink(TimeSpan.FromMilliseconds(5));
        PersistStage persist = harness.Persist(sink);

        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 0, "the outbox to drain");
        await persist.StopAsync(CancellationToken.None);

        Assert.True(sink.MaxInFlight > 1, "Bundles should overlap");
        Assert.True(sink.MaxInFlight <= 4);
        Assert.Equal(400, sink.Written.Count);
        for (int device = 0; device < 16; device++)
        {
            List<string> ids = sink.Written.FindAll(w => w.Device == "dev-" + device).ConvertAll(w => w.Id);
            List<string> sorted = [.. ids];
            sorted.Sort(StringComparer.Ordinal);
            Assert.Equal(sorted, ids);
        }
    }
}
