using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// A message the mapping code mishandles (it throws instead of reporting a failure) is a dead letter naming the fault;
/// the messages around it are mapped, and the stage goes on: it must not stop on it, nor on every restart after.
/// </summary>
public sealed class MappingFaultTests
{
    // JSON allows any \u escape; a lone surrogate is no UTF-16 text, and reading it as a string throws.
    private const string LoneSurrogatePatient = """{"deviceId":"d1","patientId":"p\udc00","measurementTime":"2026-11-21T17:00:01Z","heartRate":72}""";
    private const string LoneSurrogateDevice = """{"deviceId":"d\ud800","patientId":"p1","measurementTime":"2026-11-21T17:00:02Z","heartRate":72}""";

    [Fact]
    public async Task A_Message_Whose_Mapping_Throws_Becomes_A_Dead_Letter_And_The_Messages_Around_It_Are_Mapped()
    {
        using var harness = new PipelineHarness();
        await harness.AppendAsync(
            MapStageTests.Good,
            LoneSurrogatePatient,
            MapStageTests.Good.Replace("17:00:00", "17:00:03", StringComparison.Ordinal),
            LoneSurrogateDevice,
            MapStageTests.Good.Replace("17:00:00", "17:00:04", StringComparison.Ordinal));
        MapStage map = harness.Map();

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0 || map.ExecuteTask!.IsCompleted, "the inbox to drain");
        Assert.False(map.ExecuteTask!.IsCompleted, "the stage stopped: " + map.ExecuteTask.Exception?.InnerException);
        await map.StopAsync(CancellationToken.None);

        List<Storage.DeadLetter> letters = harness.DeadLetters();
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Contains("surrogate", l.Error, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["Patient", "Device", "Observation", "Observation", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
        Assert.Equal(5, map.MappedCount);
        Assert.Equal(2, map.DeadLetteredCount);
    }

    [Fact]
    public async Task A_Device_First_Met_In_A_Batch_That_Threw_Still_Gets_Its_Patient_And_Device()
    {
        using var harness = new PipelineHarness();
        // d2's pair is first met in the batch that throws; that pass is dropped, so its Patient and Device must come
        // with its Observation when it is mapped again.
        await harness.AppendAsync(MapStageTests.Good.Replace("\"d1\"", "\"d2\"", StringComparison.Ordinal).Replace("\"p1\"", "\"p2\"", StringComparison.Ordinal), LoneSurrogatePatient);
        MapStage map = harness.Map();

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0 || map.ExecuteTask!.IsCompleted, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);

        Assert.Single(harness.DeadLetters());
        Assert.Equal(["Patient", "Device", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
    }
}
