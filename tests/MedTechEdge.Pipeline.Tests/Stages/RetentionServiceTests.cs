using System.Text;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

public sealed class RetentionServiceTests
{
    [Fact]
    public async Task Undelivered_Data_Older_Than_MaxAge_Is_Removed_And_Counted_And_Newer_Data_Stays()
    {
        using var harness = new PipelineHarness();
        harness.Store.Options.MaxAge = TimeSpan.FromHours(1);
        await using (var writer = new InboxWriter(harness.Store, harness.Signals.Inbox))
        {
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow.AddHours(-2), Source = "test", Body = Encoding.UTF8.GetBytes("{}") });
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "test", Body = Encoding.UTF8.GetBytes("{}") });
        }

        var retention = new RetentionService(harness.Store, TimeProvider.System, NullLogger<RetentionService>.Instance) { Interval = TimeSpan.FromMilliseconds(50) };
        await retention.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => retention.ExpiredCount == 1, "one expired message");
        await retention.StopAsync(CancellationToken.None);

        Assert.Equal(1, harness.Counts().Inbox);
    }

    [Fact]
    public async Task Without_MaxAge_Nothing_Is_Ever_Removed()
    {
        using var harness = new PipelineHarness();
        await using (var writer = new InboxWriter(harness.Store, harness.Signals.Inbox))
        {
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow.AddYears(-1), Source = "test", Body = Encoding.UTF8.GetBytes("{}") });
        }

        var retention = new RetentionService(harness.Store, TimeProvider.System, NullLogger<RetentionService>.Instance) { Interval = TimeSpan.FromMilliseconds(10) };
        await retention.StartAsync(CancellationToken.None);
        // Without a MaxAge there is no policy to run: the service ends at once, without a pass over the store.
        await retention.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));
        await retention.StopAsync(CancellationToken.None);

        Assert.Equal(0, retention.ExpiredCount);
        Assert.Equal(1, harness.Counts().Inbox);
    }
}
