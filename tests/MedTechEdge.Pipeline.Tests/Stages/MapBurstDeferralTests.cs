using System.Text;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// <see cref="PipelineOptions.BurstDeferral"/>: while a burst waits on the group commit the Map stage holds its batch
/// back, on the clock, so the acknowledgements get the CPU first (issue 16 §1); never longer than the deferral for the
/// oldest message, and never for devices that send one message at a time.
/// </summary>
public sealed class MapBurstDeferralTests
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task A_Burst_Is_Held_Back_On_The_Clock_And_Mapped_Once_Ingest_Goes_Quiet()
    {
        using var harness = Harness(TimeSpan.FromSeconds(1));
        var clock = new TestClock();
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        var metrics = new PipelineMetrics();
        await BurstAsync(harness, writer, clock, 20);
        MapStage map = Map(harness, clock, writer, metrics);

        await map.StartAsync(CancellationToken.None);
        await clock.WaitForTimerAsync(s_recheck);
        Assert.Equal(0, map.MappedCount);
        Assert.Equal(20, harness.Counts().Inbox);
        Assert.Equal(1, metrics.BurstDeferrals);

        // No inbox commit while it waited: the burst is over, and the stage maps without waiting any longer.
        clock.Advance(s_recheck);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the held-back burst to be mapped");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(20, map.MappedCount);
        Assert.Equal(1, metrics.BurstDeferrals);
    }

    [Fact]
    public async Task Under_Sustained_Bursts_The_Oldest_Message_Waits_No_Longer_Than_The_Deferral()
    {
        TimeSpan deferral = TimeSpan.FromMilliseconds(50);
        using var harness = Harness(deferral);
        var clock = new TestClock();
        DateTime start = clock.GetUtcNow().UtcDateTime;
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        await BurstAsync(harness, writer, clock, 20);
        MapStage map = Map(harness, clock, writer, new PipelineMetrics());

        await map.StartAsync(CancellationToken.None);
        // 20 + 20 + 10 ms: each wait ends at the next recheck or at the oldest message's deadline, whichever is first.
        foreach (TimeSpan step in new[] { s_recheck, s_recheck, deferral - (2 * s_recheck) })
        {
            await clock.WaitForTimerAsync(step);
            Assert.Equal(0, map.MappedCount);
            await BurstAsync(harness, writer, clock, 20);
            clock.Advance(step);
        }

        // The bursts go on, but the oldest message has waited its 50 ms: everything waiting is mapped now.
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the backlog to be mapped at the deferral's end");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(80, map.MappedCount);
        List<OutboxRecord> observations = harness.Outbox().FindAll(r => r.ResourceType == "Observation");
        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Equal(start + deferral, o.CreatedUtc));
    }

    [Fact]
    public async Task Receipt_Times_Ahead_Of_The_Stage_Clock_Do_Not_Stretch_The_Deferral()
    {
        // The system clock set back an hour after these were received: by their receipt times they have not waited at
        // all. The stage still maps them once it has itself held back for the deferral.
        TimeSpan deferral = TimeSpan.FromMilliseconds(40);
        using var harness = Harness(deferral);
        var clock = new TestClock();
        TimeSpan ahead = TimeSpan.FromHours(1);
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        await BurstAsync(harness, writer, clock, 20, ahead);
        MapStage map = Map(harness, clock, writer, new PipelineMetrics());

        await map.StartAsync(CancellationToken.None);
        foreach (TimeSpan step in new[] { s_recheck, deferral - s_recheck })
        {
            await clock.WaitForTimerAsync(step);
            Assert.Equal(0, map.MappedCount);
            await BurstAsync(harness, writer, clock, 20, ahead);
            clock.Advance(step);
        }

        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the backlog to be mapped at the stage's own deferral's end");
        await map.StopAsync(CancellationToken.None);
        Assert.Equal(60, map.MappedCount);
    }

    [Fact]
    public async Task Devices_Sending_One_Message_At_A_Time_Are_Never_Held_Back()
    {
        using var harness = Harness(TimeSpan.FromHours(1));
        var clock = new TestClock();
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        for (int i = 0; i < 5; i++)
        {
            // One commit each: an acknowledgement at a time is no burst.
            await writer.AppendAsync(Message(clock, i));
        }

        await AssertMappedWithoutWaitingAsync(harness, clock, writer, 5);
    }

    [Fact]
    public async Task Zero_Never_Holds_Back_Even_A_Burst()
    {
        using var harness = Harness(TimeSpan.Zero);
        var clock = new TestClock();
        await using var writer = new InboxWriter(harness.Store, harness.Signals.Inbox);
        await BurstAsync(harness, writer, clock, 20);

        await AssertMappedWithoutWaitingAsync(harness, clock, writer, 20);
    }

    /// <summary>The clock never moves: a held-back batch would never be mapped.</summary>
    private static async Task AssertMappedWithoutWaitingAsync(PipelineHarness harness, TestClock clock, InboxWriter writer, int count)
    {
        var metrics = new PipelineMetrics();
        MapStage map = Map(harness, clock, writer, metrics);
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the messages to be mapped without waiting");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(count, map.MappedCount);
        Assert.Equal(0, metrics.BurstDeferrals);
    }

    private static PipelineHarness Harness(TimeSpan deferral)
    {
        var harness = new PipelineHarness();
        harness.Options.MapLinger = TimeSpan.Zero;
        harness.Options.BurstDeferral = deferral;
        harness.Options.BurstCommitSize = 4;
        // Room for every message of a test in one batch, so each test's last read maps all of them.
        harness.Options.MapBatchSize = 512;
        return harness;
    }

    /// <summary>
    /// <paramref name="count"/> messages committed in at most two commits, as a burst of clients does: queued while the
    /// writer waits for the store's lock, so the loop can have taken only the first one on its own.
    /// </summary>
    private static async Task BurstAsync(PipelineHarness harness, InboxWriter writer, TestClock clock, int count, TimeSpan receivedAhead = default)
    {
        var commits = new List<InboxCommit>(2);
        await harness.Store.WriteLock.WaitAsync();
        try
        {
            for (int i = 0; i < count; i++)
            {
                InboxCommit commit = writer.Enqueue(Message(clock, i, receivedAhead), out _);
                if (commits.Count == 0 || commits[^1] != commit)
                {
                    commits.Add(commit);
                }
            }
        }
        finally
        {
            harness.Store.WriteLock.Release();
        }

        foreach (InboxCommit commit in commits)
        {
            await commit.AsValueTask();
        }
    }

    private static InboxMessage Message(TestClock clock, int second, TimeSpan receivedAhead = default) => new()
    {
        ReceivedUtc = clock.GetUtcNow().UtcDateTime + receivedAhead,
        // A device waits on its acknowledgement: only such messages make a burst.
        Source = MessageSources.Mqtt,
        DeviceId = "d1",
        Body = Encoding.UTF8.GetBytes(MapStageTests.Good.Replace("17:00:00", $"17:00:{second:00}", StringComparison.Ordinal)),
    };

    private static MapStage Map(PipelineHarness harness, TimeProvider clock, InboxWriter writer, PipelineMetrics metrics) =>
        new(harness.Store, harness.DeviceMapping, harness.FhirMapping, harness.Signals, harness.Options, clock, NullLogger<MapStage>.Instance, metrics: metrics, writer: writer);
}
