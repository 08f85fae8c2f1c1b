using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// A cached identity the FHIR server does not have (issue 12 item 4): Create mode against the real FHIR peer, with
/// the identity cache holding a Patient and Device the server never had (as after a restore or a new server).
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class ReferenceRepairTests(FhirPeerFixture peer)
{
    [Fact]
    public async Task A_Requeued_ReferenceNotFound_Letter_Resolves_Its_Identity_Again_And_Is_Delivered()
    {
        string run = Guid.NewGuid().ToString("N")[..10];
        using var harness = new PipelineHarness();
        using var http = new HttpClient();
        var client = new FhirClient(http, peer.BaseUrl);
        Seed(harness, "mon-" + run, "pat-" + run);
        await harness.AppendAsync($$"""{"deviceId":"mon-{{run}}","patientId":"pat-{{run}}","time":"2026-11-21T12:00:00Z","heartRate":71}""");
        var invalidations = new IdentityInvalidations();
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, client, invalidations: invalidations);
        var sink = new FhirServerSink(client, harness.FhirMapping);
        await map.StartAsync(CancellationToken.None);

        // A Persist without the repair (as before it existed): the refusal becomes a ReferenceNotFound letter.
        PersistStage plain = harness.Persist(sink);
        await plain.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts() == (0, 0, 1), "the refusal to become a dead letter");
        await plain.StopAsync(CancellationToken.None);
        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal(DeadLetterKind.ReferenceNotFound, letter.Kind);
        Assert.Contains("Patient/ghost-" + run, letter.Error, StringComparison.Ordinal);

        // Requeued, with the repair: Map still holds the stale identity in memory, the server refuses it again, and
        // Persist resolves it again (Create mode writes the Patient and Device) and delivers the Observation.
        using (SqliteConnection connection = harness.Store.OpenConnection())
        {
            Assert.True(DeadLetterTable.Requeue(connection, letter.Id, DateTime.UtcNow));
        }

        harness.Signals.Inbox.Set();
        var repairing = new PersistStage(harness.Store, sink, harness.Signals, harness.Options, TimeProvider.System, NullLogger<PersistStage>.Instance, repair: new ReferenceRepair(client, harness.Options, invalidations));
        await repairing.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts() == (0, 0, 0) && repairing.PersistedCount == 1, "the requeued message to be delivered");
        await repairing.StopAsync(CancellationToken.None);
        await map.StopAsync(CancellationToken.None);

        string patient = DeterministicId.ForPatient("pat-" + run);
        string bundle = await http.GetStringAsync(new Uri(peer.BaseUrl, "Observation?subject=Patient/" + patient));
        using JsonDocument found = JsonDocument.Parse(bundle);
        Assert.Equal(1, found.RootElement.GetProperty("entry").GetArrayLength());
        using HttpResponseMessage read = await http.GetAsync(new Uri(peer.BaseUrl, "Patient/" + patient));
        Assert.True(read.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Lookup_References_That_Changed_On_The_Server_Send_The_Message_Back_To_Be_Mapped_With_The_New_Ones()
    {
        string run = Guid.NewGuid().ToString("N")[..10];
        using var http = new HttpClient();
        // The server now links the monitor to another Patient than the one cached (a restore, a re-registration).
        await PeerResources.PutAsync(peer, http, "Patient", "new-" + run, """{"resourceType":"Patient"}""");
        await PeerResources.PutAsync(peer, http, "Device", "dev-" + run, $$$"""{"resourceType":"Device","identifier":[{"value":"mon-{{{run}}}"}],"patient":{"reference":"Patient/new-{{{run}}}"}}""");
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;
        using (SqliteConnection connection = harness.Store.OpenConnection())
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            IdentityCacheTable.Upsert(connection, transaction, "mon-" + run, null, null, new IdentityCacheEntry("old-" + run, "dev-" + run, null, DateTime.UtcNow));
            transaction.Commit();
        }

        await harness.AppendAsync($$"""{"deviceId":"mon-{{run}}","time":"2026-11-21T12:00:00Z","heartRate":72}""");
        var client = new FhirClient(http, peer.BaseUrl);
        var invalidations = new IdentityInvalidations();
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, client, invalidations: invalidations);
        var persist = new PersistStage(harness.Store, new FhirServerSink(client, harness.FhirMapping), harness.Signals, harness.Options, TimeProvider.System, NullLogger<PersistStage>.Instance, repair: new ReferenceRepair(client, harness.Options, invalidations));
        await map.StartAsync(CancellationToken.None);
        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts() == (0, 0, 0) && persist.PersistedCount == 1, "the message mapped again and delivered");
        await persist.StopAsync(CancellationToken.None);
        await map.StopAsync(CancellationToken.None);

        string bundle = await http.GetStringAsync(new Uri(peer.BaseUrl, $"Observation?subject=Patient/new-{run}"));
        using JsonDocument found = JsonDocument.Parse(bundle);
        Assert.Equal(1, found.RootElement.GetProperty("entry").GetArrayLength());
        using SqliteConnection check = harness.Store.OpenConnection();
        Assert.Equal("new-" + run, IdentityCacheTable.Find(check, "mon-" + run, null, null, DateTime.MinValue)!.PatientId);
    }

    private static void Seed(PipelineHarness harness, string device, string patient)
    {
        using SqliteConnection connection = harness.Store.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        string ghost = "ghost-" + device[4..];
        IdentityCacheTable.Upsert(connection, transaction, device, patient, null, new IdentityCacheEntry(ghost, ghost, null, DateTime.UtcNow));
        transaction.Commit();
    }
}
