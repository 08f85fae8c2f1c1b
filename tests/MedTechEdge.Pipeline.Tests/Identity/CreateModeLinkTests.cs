using System.Text.Json;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// Create mode without a FHIR server (NDJSON output): a Device this module linked to one patient is not relinked by a
/// message naming another (issue 12 item 1, the patient side), in a batch, in a later batch, and after a restart.
/// </summary>
public sealed class CreateModeLinkTests
{
    [Fact]
    public async Task A_Device_Linked_To_One_Patient_Never_Writes_Into_Another_Patients_Record()
    {
        using var harness = new PipelineHarness();
        await harness.AppendAsync(Vitals("devA", "pat-A", 0), Vitals("devA", "pat-B", 1));
        await RunAsync(harness);
        await harness.AppendAsync(Vitals("devA", "pat-B", 2));
        await RunAsync(harness);

        // A restarted stage: the link is in the store, not only in memory.
        await harness.AppendAsync(Vitals("devA", "pat-B", 3), Vitals("devA", "pat-A", 4), Vitals("devB", "pat-B", 5));
        await RunAsync(harness);

        Assert.Equal(
            [DeadLetterKind.PatientDeviceMismatch, DeadLetterKind.PatientDeviceMismatch, DeadLetterKind.PatientDeviceMismatch],
            harness.DeadLetters().ConvertAll(l => l.Kind));
        string patientA = "Patient/" + DeterministicId.ForPatient("pat-A");
        foreach (OutboxRecord observation in harness.Outbox().FindAll(r => r.ResourceType == "Observation" && r.DeviceId == "devA"))
        {
            Assert.Equal(patientA, JsonDocument.Parse(observation.Body).RootElement.GetProperty("subject").GetProperty("reference").GetString());
        }

        Assert.Equal(3, harness.Outbox().FindAll(r => r.ResourceType == "Observation").Count);
    }

    [Fact]
    public async Task One_Running_Stage_Remembers_The_Link_From_Batch_To_Batch()
    {
        using var harness = new PipelineHarness();
        MapStage map = harness.Map();
        await map.StartAsync(CancellationToken.None);
        await harness.AppendAsync(Vitals("devA", "pat-A", 0));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the first batch");
        await harness.AppendAsync(Vitals("devA", "pat-B", 1), Vitals("devA", "pat-A", 2));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the second batch");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal([DeadLetterKind.PatientDeviceMismatch], harness.DeadLetters().ConvertAll(l => l.Kind));
        Assert.Equal(2, harness.Outbox().FindAll(r => r.ResourceType == "Observation").Count);
    }

    private static async Task RunAsync(PipelineHarness harness)
    {
        MapStage map = harness.Map();
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);
    }

    private static string Vitals(string device, string patient, int second) =>
        $$"""{"deviceId":"{{device}}","patientId":"{{patient}}","measurementTime":"2026-11-21T17:00:0{{second}}Z","heartRate":72}""";
}
