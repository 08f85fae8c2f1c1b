using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// Create mode with a FHIR server to ask (medtech-semantics §6 Create): what exists is found and used, what is missing is
/// created with deterministic ids ahead of the Observations, a Device without a patient is linked, and a Device
/// linked to another patient is refused.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class CreateModeServerTests(FhirPeerFixture peer)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_Existing_Patient_Is_Used_And_A_Missing_Device_Is_Created_Linked_To_It()
    {
        using var http = new HttpClient();
        await PeerResources.PutAsync(peer, http, "Patient", "known-" + _run, $$$"""{"resourceType":"Patient","identifier":[{"value":"pat-{{{_run}}}"}]}""");
        using var harness = new PipelineHarness();

        await harness.AppendAsync(Message("mon-" + _run, "pat-" + _run, 0), Message("mon-" + _run, "pat-" + _run, 1));
        await RunMapAsync(harness, http);

        List<OutboxRecord> outbox = harness.Outbox();
        // The Patient exists: only the Device is written, once, ahead of both Observations.
        Assert.Equal(["Device", "Observation", "Observation"], outbox.ConvertAll(r => r.ResourceType));
        Assert.Equal(DeterministicId.ForDevice("mon-" + _run), outbox[0].ResourceId);
        Assert.Equal("Patient/known-" + _run, Reference(outbox[0], "patient"));
        Assert.Equal("Patient/known-" + _run, Reference(outbox[1], "subject"));
    }

    [Fact]
    public async Task A_Device_Without_A_Patient_Is_Linked_And_Keeps_What_The_Server_Holds()
    {
        using var http = new HttpClient();
        await PeerResources.PutAsync(peer, http, "Device", "bare-" + _run, $$$"""{"resourceType":"Device","manufacturer":"Acme","identifier":[{"value":"mon-{{{_run}}}"}]}""");
        using var harness = new PipelineHarness();

        await harness.AppendAsync(Message("mon-" + _run, "pat-" + _run, 0));
        await RunMapAsync(harness, http);

        List<OutboxRecord> outbox = harness.Outbox();
        Assert.Equal(["Patient", "Device", "Observation"], outbox.ConvertAll(r => r.ResourceType));
        Assert.Equal("bare-" + _run, outbox[1].ResourceId);
        JsonElement device = JsonDocument.Parse(outbox[1].Body).RootElement;
        Assert.Equal("Acme", device.GetProperty("manufacturer").GetString());
        Assert.Equal("Patient/" + DeterministicId.ForPatient("pat-" + _run), device.GetProperty("patient").GetProperty("reference").GetString());
        Assert.Equal("Device/bare-" + _run, Reference(outbox[2], "device"));
    }

    [Fact]
    public async Task A_Device_Linked_To_Another_Patient_Is_A_Dead_Letter_And_Its_Neighbours_Are_Mapped()
    {
        using var http = new HttpClient();
        await PeerResources.PutAsync(peer, http, "Patient", "other-" + _run, """{"resourceType":"Patient"}""");
        await PeerResources.PutAsync(peer, http, "Device", "taken-" + _run, $$$"""{"resourceType":"Device","identifier":[{"value":"taken-{{{_run}}}"}],"patient":{"reference":"Patient/other-{{{_run}}}"}}""");
        using var harness = new PipelineHarness();

        await harness.AppendAsync(Message("taken-" + _run, "pat-" + _run, 0), Message("free-" + _run, "pat-" + _run, 1));
        await RunMapAsync(harness, http);

        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal("PatientDeviceMismatchException", letter.KindName);
        Assert.Contains("taken-" + _run, Encoding.UTF8.GetString(letter.Message.Body), StringComparison.Ordinal);
        Assert.Equal(["Patient", "Device", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
    }

    [Fact]
    public async Task A_Device_This_Module_Is_Creating_For_One_Patient_Is_Not_Relinked_To_Another_Before_The_Server_Has_It()
    {
        using var http = new HttpClient();
        using var harness = new PipelineHarness();

        // The first batch creates mon linked to pat-A; nothing has reached the server yet (no Persist stage runs).
        await harness.AppendAsync(Message("mon-" + _run, "pat-A-" + _run, 0), Message("mon-" + _run, "pat-B-" + _run, 1));
        await RunMapAsync(harness, http);
        await harness.AppendAsync(Message("mon-" + _run, "pat-B-" + _run, 2), Message("mon-" + _run, "pat-A-" + _run, 3));
        await RunMapAsync(harness, http);

        Assert.Equal(["PatientDeviceMismatchException", "PatientDeviceMismatchException"], harness.DeadLetters().ConvertAll(l => l.KindName));
        List<OutboxRecord> outbox = harness.Outbox();
        Assert.Equal(["Patient", "Device", "Observation", "Observation"], outbox.ConvertAll(r => r.ResourceType));
        string patientA = "Patient/" + DeterministicId.ForPatient("pat-A-" + _run);
        Assert.Equal(patientA, Reference(outbox[1], "patient"));
        Assert.Equal(patientA, Reference(outbox[2], "subject"));
        Assert.Equal(patientA, Reference(outbox[3], "subject"));
    }

    private async Task RunMapAsync(PipelineHarness harness, HttpClient http)
    {
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, new FhirClient(http, peer.BaseUrl));
        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the map stage");
        await map.StopAsync(CancellationToken.None);
    }

    private static string? Reference(OutboxRecord record, string member) =>
        JsonDocument.Parse(record.Body).RootElement.GetProperty(member).GetProperty("reference").GetString();

    private static string Message(string device, string patient, int second) =>
        $$"""{"deviceId":"{{device}}","patientId":"{{patient}}","time":"2026-11-21T11:00:0{{second}}Z","heartRate":{{70 + second}}}""";
}
