using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// Create mode against the FHIR peer, while it does not hold the device's Device (not written yet, or the server was
/// emptied): the link this module made between the device and its patient holds through the identity repair of issue
/// 12 item 4, an invalidation from Persist, and the requeue of a ReferenceNotFound dead letter. Without it, a message
/// naming a second patient would create the Device again for that patient.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class IdentityLinkTests(FhirPeerFixture peer)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_Invalidated_Identity_Still_Links_Its_Device_To_Its_Patient()
    {
        using var harness = new PipelineHarness();
        using var http = new HttpClient();
        var resolver = new CreateIdentityResolver(new FhirClient(http, peer.BaseUrl), null);
        var cache = new IdentityCache(TimeSpan.FromHours(2), TimeSpan.Zero, createsDevices: true);
        using SqliteConnection connection = harness.Store.OpenConnection();
        string device = "mon-" + _run;

        Assert.Null(await ResolveAsync(cache, resolver, connection, device, "P1-" + _run));
        // Persist found the references refused (an emptied server) and told Map; a batch without the device commits.
        var invalidations = new IdentityInvalidations();
        invalidations.Post(device, "P1-" + _run, null);
        invalidations.Apply(cache, null);
        Commit(cache, connection);

        Assert.Equal(DeadLetterKind.PatientDeviceMismatch, await ResolveAsync(cache, resolver, connection, device, "P2-" + _run));
        // The device's own patient is resolved again, as the repair intends.
        Assert.Null(await ResolveAsync(cache, resolver, connection, device, "P1-" + _run));
    }

    [Fact]
    public async Task Requeuing_A_ReferenceNotFound_Letter_Keeps_The_Link()
    {
        using var harness = new PipelineHarness();
        using var http = new HttpClient();
        var resolver = new CreateIdentityResolver(new FhirClient(http, peer.BaseUrl), null);
        string device = "mon-" + _run;
        using SqliteConnection connection = harness.Store.OpenConnection();
        Assert.Null(await ResolveAsync(new IdentityCache(TimeSpan.FromHours(2), TimeSpan.Zero, createsDevices: true), resolver, connection, device, "P1-" + _run));

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            DeadLetterTable.Insert(connection, transaction, new DeadLetter
            {
                Stage = PipelineStage.Persist,
                Kind = DeadLetterKind.ReferenceNotFound,
                Error = "Observation/x: Reference target not found",
                Message = new InboxMessage { Source = MessageSources.Mqtt, DeviceId = device, Body = "{}"u8.ToArray() },
            });
            transaction.Commit();
        }

        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        Assert.True(DeadLetterTable.Requeue(connection, Assert.Single(letters).Id, DateTime.UtcNow));

        // A restarted stage (nothing in memory): the requeue made the cached identity untrusted, not the link.
        var restarted = new IdentityCache(TimeSpan.FromHours(2), TimeSpan.Zero, createsDevices: true);
        Assert.Equal(DeadLetterKind.PatientDeviceMismatch, await ResolveAsync(restarted, resolver, connection, device, "P2-" + _run));
        Assert.Null(IdentityCacheTable.Find(connection, device, "P1-" + _run, null, DateTime.UtcNow.AddHours(-2)));
    }

    /// <summary>One Map pass for one measurement: null when it resolved, else the kind of its failure. Commits what it resolved.</summary>
    private static async Task<DeadLetterKind?> ResolveAsync(IdentityCache cache, IIdentityResolver resolver, SqliteConnection connection, string device, string patient)
    {
        var measurement = new Measurement { Type = "heartrate", OccurrenceTimeUtc = DateTime.UtcNow, DeviceId = device, PatientId = patient };
        DateTime now = DateTime.UtcNow;
        cache.BeginPass(connection, now);
        if (!cache.TryGet(measurement, out _, out _, out _))
        {
            Assert.Null(await cache.ResolveMissingAsync(resolver, now, CancellationToken.None));
            cache.BeginPass(connection, now);
        }

        Assert.True(cache.TryGet(measurement, out ResourceReferences? references, out DeadLetterKind kind, out string? error));
        Commit(cache, connection);
        return error is null ? (references is null ? DeadLetterKind.Unknown : null) : kind;
    }

    private static void Commit(IdentityCache cache, SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        cache.SaveResolved(connection, transaction);
        transaction.Commit();
    }
}
