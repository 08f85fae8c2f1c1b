using MedTechEdge.Pipeline.Stages;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// <see cref="PipelineOptions.MapLinger"/>: messages that arrive one by one are mapped and committed together, not one
/// store transaction and one sink write each (issue 16 §1), and a backlog is never held back.
/// </summary>
public sealed class MapLingerTests
{
    private static readonly TimeSpan s_linger = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task A_Partial_Batch_Waits_The_Linger_On_The_Clock_Then_Maps_What_Arrived_Meanwhile_With_It()
    {
        using var harness = new PipelineHarness();
        harness.Options.MapLinger = s_linger;
        var clock = new TestClock();
        await harness.AppendAsync(MapStageTests.Good);
        MapStage map = Map(harness, clock);

        await map.StartAsync(CancellationToken.None);
        await clock.WaitForTimerAsync(s_linger);
        Assert.Equal(0, map.MappedCount);
        Assert.Equal(1, harness.Counts().Inbox);

        await harness.AppendAsync(
            MapStageTests.Good.Replace("17:00:00", "17:00:01", StringComparison.Ordinal),
            MapStageTests.Good.Replace("17:00:00", "17:00:02", StringComparison.Ordinal));
        DateTime lingerEnd = clock.GetUtcNow().UtcDateTime + s_linger;
        clock.Advance(s_linger);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(3, map.MappedCount);
        // All three were mapped after the wait, in the one batch read when it ended.
        List<Storage.OutboxRecord> observations = harness.Outbox().FindAll(r => r.ResourceType == "Observation");
        Assert.Equal(3, observations.Count);
        Assert.All(observations, o => Assert.Equal(lingerEnd, o.CreatedUtc));
    }

    [Fact]
    public async Task A_Full_Batch_Is_Mapped_At_Once()
    {
        using var harness = new PipelineHarness();
        harness.Options.MapLinger = TimeSpan.FromHours(1);
        harness.Options.MapBatchSize = 2;
        var clock = new TestClock();
        await harness.AppendAsync(MapStageTests.Good, MapStageTests.Good.Replace("17:00:00", "17:00:01", StringComparison.Ordinal));
        MapStage map = Map(harness, clock);

        // The clock never moves: a batch that waited would never be mapped.
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the full batch to be mapped without waiting");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(2, map.MappedCount);
    }

    [Fact]
    public async Task Zero_Maps_A_Single_Message_At_Once()
    {
        using var harness = new PipelineHarness();
        harness.Options.MapLinger = TimeSpan.Zero;
        await harness.AppendAsync(MapStageTests.Good);
        MapStage map = Map(harness, new TestClock());

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the message to be mapped without waiting");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(1, map.MappedCount);
    }

    private static MapStage Map(PipelineHarness harness, TimeProvider clock) =>
        new(harness.Store, harness.DeviceMapping, harness.FhirMapping, harness.Signals, harness.Options, clock, NullLogger<MapStage>.Instance);
}
