using System.Text;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Pipeline.Tests.Identity;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Stages;

/// <summary>
/// A resource the FHIR server refuses (400 with an OperationOutcome) becomes a dead letter that holds the original
/// device message and the server's words, and a requeue maps that message again.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class PersistRejectionTests(FhirPeerFixture peer)
{
    [Fact]
    public async Task A_Refused_Observation_Is_A_Dead_Letter_With_Its_Device_Message_And_The_Servers_Reason()
    {
        string run = Guid.NewGuid().ToString("N")[..10];
        using var http = new HttpClient();
        // The Device names a Patient that is then deleted: the peer refuses Observations that point at it.
        await PeerResources.PutAsync(peer, http, "Patient", "gone-" + run, """{"resourceType":"Patient"}""");
        await PeerResources.PutAsync(peer, http, "Device", "dev-" + run, $$$"""{"resourceType":"Device","identifier":[{"value":"mon-{{{run}}}"}],"patient":{"reference":"Patient/gone-{{{run}}}"}}""");
        using (HttpResponseMessage deleted = await http.DeleteAsync(new Uri(peer.BaseUrl, "Patient/gone-" + run)))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;
        string good = $$"""{"deviceId":"mon-{{run}}","time":"2026-11-21T12:00:00Z","heartRate":71}""";
        await harness.AppendAsync(good);
        var client = new FhirClient(http, peer.BaseUrl);
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, client);
        PersistStage persist = harness.Persist(new FhirServerSink(client, harness.FhirMapping));
        await map.StartAsync(CancellationToken.None);
        await persist.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts() == (0, 0, 1), "the refusal to become a dead letter");
        await persist.StopAsync(CancellationToken.None);
        await map.StopAsync(CancellationToken.None);

        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal(PipelineStage.Persist, letter.Stage);
        // Lookup finds the same Device, still linked to the deleted Patient: the refusal survives a fresh resolution.
        Assert.Equal("ReferenceNotFound", letter.KindName);
        Assert.StartsWith("Observation/", letter.Error, StringComparison.Ordinal);
        Assert.Contains("Patient/gone-" + run, letter.Error, StringComparison.Ordinal);
        Assert.Equal(good, Encoding.UTF8.GetString(letter.Message.Body));
        Assert.Equal("d", letter.Message.DeviceId); // as the ingress recorded it (PipelineHarness.AppendAsync)

        // Requeued, it is a device message again, waiting to be mapped.
        using SqliteConnection connection = harness.Store.OpenConnection();
        Assert.True(DeadLetterTable.Requeue(connection, letter.Id, DateTime.UtcNow));
        Assert.Equal((1L, 0L, 0L), harness.Counts());
        var inbox = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, inbox);
        Assert.Equal(good, Encoding.UTF8.GetString(Assert.Single(inbox).Body));
    }
}
