using MedTechEdge.Storage;

namespace MedTechEdge.Storage.Tests;

/// <summary>
/// <see cref="InboxWriter.DeviceCommitCount"/> and <see cref="InboxWriter.DeviceMessageCount"/>: what the Map stage's
/// burst deferral reads counts only the messages a device waits on, so an Event Hubs batch or a replay never holds the
/// pipeline back.
/// </summary>
public sealed class DeviceCommitCountTests
{
    [Fact]
    public async Task Only_Messages_A_Device_Waits_On_Are_Counted_With_Their_Commits()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());

        await AppendAllAsync(writer, MessageSources.EventHub, 5);
        await AppendAllAsync(writer, MessageSources.Replay, 3);
        Assert.Equal(8, writer.CommittedCount);
        Assert.Equal(0, writer.DeviceCommitCount);
        Assert.Equal(0, writer.DeviceMessageCount);

        await AppendAllAsync(writer, MessageSources.Mqtt, 4);
        await AppendAllAsync(writer, MessageSources.EdgeHub, 2);
        Assert.Equal(6, writer.DeviceMessageCount);
        Assert.InRange(writer.DeviceCommitCount, 2, 6);
    }

    private static async Task AppendAllAsync(InboxWriter writer, string source, int count)
    {
        var appends = new Task<long>[count];
        for (int i = 0; i < count; i++)
        {
            appends[i] = writer.AppendAsync(TempStore.Message("""{"hr":70}""", source: source));
        }

        await Task.WhenAll(appends);
    }
}
