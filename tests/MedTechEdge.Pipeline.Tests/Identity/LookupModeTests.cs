using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests.Identity;

/// <summary>
/// Lookup and LookupWithEncounter against the real FHIR peer (medtech-semantics §6): the Device by identifier, the
/// Patient from its reference, the Encounter by identifier, each failure a dead letter named as the managed service
/// named it, and results kept in the store so a restart needs no server to map known devices.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class LookupModeTests(FhirPeerFixture peer)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Lookup_Uses_The_Servers_Device_Patient_And_Encounter_And_Dead_Letters_What_It_Cannot_Find()
    {
        using var http = new HttpClient();
        await PutMonitorOfPatientAsync(http);
        await PeerResources.PutAsync(peer, http, "Device", "orphan-" + _run, $$$"""{"resourceType":"Device","identifier":[{"value":"orphan-{{{_run}}}"}]}""");
        await PeerResources.PutAsync(peer, http, "Encounter", "enc-" + _run, $$$"""{"resourceType":"Encounter","status":"in-progress","class":{"code":"IMP"},"identifier":[{"value":"visit-{{{_run}}}"}]}""");
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;

        await harness.AppendAsync(
            Message("mon-" + _run, 0, encounter: "visit-" + _run, patient: "mrn-" + _run),
            Message("unknown-" + _run, 1),
            Message("orphan-" + _run, 2),
            Message("mon-" + _run, 3, encounter: "no-such-visit-" + _run),
            Message("mon-" + _run, 4));
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);

        List<DeadLetter> letters = harness.DeadLetters();
        Assert.Equal(["DeviceNotFoundException", "PatientNotFoundException", "EncounterNotFoundException"], letters.ConvertAll(l => l.KindName));
        Assert.Contains("unknown-" + _run, Encoding.UTF8.GetString(letters[0].Message.Body), StringComparison.Ordinal);
        List<OutboxRecord> outbox = harness.Outbox();
        // Lookup writes no Patient or Device: the server's own are referenced.
        Assert.Equal(["Observation", "Observation"], outbox.ConvertAll(r => r.ResourceType));
        JsonElement withEncounter = JsonDocument.Parse(outbox[0].Body).RootElement;
        Assert.Equal("Patient/pat-" + _run, withEncounter.GetProperty("subject").GetProperty("reference").GetString());
        Assert.Equal("Device/dev-" + _run, withEncounter.GetProperty("device").GetProperty("reference").GetString());
        Assert.Equal("Encounter/enc-" + _run, withEncounter.GetProperty("encounter").GetProperty("reference").GetString());
        Assert.False(JsonDocument.Parse(outbox[1].Body).RootElement.TryGetProperty("encounter", out _));

        // Both resolved keys are in the store: a restarted module maps these devices without asking the server.
        using SqliteConnection connection = harness.Store.OpenConnection();
        Assert.Equal(2, IdentityCacheTable.Count(connection));
    }

    [Fact]
    public async Task A_Message_That_Names_Another_Patient_Than_The_Devices_Is_A_PatientDeviceMismatch()
    {
        using var http = new HttpClient();
        await PutMonitorOfPatientAsync(http);
        await PeerResources.PutAsync(peer, http, "Patient", "other-" + _run, $$$"""{"resourceType":"Patient","identifier":[{"value":"other-mrn-{{{_run}}}"}]}""");
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;

        await harness.AppendAsync(
            Message("mon-" + _run, 0, patient: "other-mrn-" + _run),
            Message("mon-" + _run, 1, patient: "mrn-" + _run),
            Message("mon-" + _run, 2, patient: "pat-" + _run),
            Message("mon-" + _run, 3));
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);

        // The device is linked to pat-{run}: naming its identifier, its id, or nobody is fine; naming another patient is not.
        DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal("PatientDeviceMismatchException", letter.KindName);
        Assert.Contains("other-mrn-" + _run, Encoding.UTF8.GetString(letter.Message.Body), StringComparison.Ordinal);
        List<OutboxRecord> outbox = harness.Outbox();
        Assert.Equal(3, outbox.Count);
        Assert.All(outbox, r => Assert.Equal("Patient/pat-" + _run, JsonDocument.Parse(r.Body).RootElement.GetProperty("subject").GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task LookupWithEncounter_Dead_Letters_A_Message_Without_An_Encounter_Id()
    {
        using var http = new HttpClient();
        await PutMonitorOfPatientAsync(http);
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.LookupWithEncounter;

        await harness.AppendAsync(Message("mon-" + _run, 0));
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);

        Assert.Equal("EncounterIdentityNotDefinedException", Assert.Single(harness.DeadLetters()).KindName);
    }

    [Fact]
    public async Task The_Default_Device_Identifier_System_Is_Part_Of_The_Device_Search()
    {
        using var http = new HttpClient();
        await PeerResources.PutAsync(peer, http, "Patient", "pat-" + _run, """{"resourceType":"Patient"}""");
        await PeerResources.PutAsync(peer, http, "Device", "dev-" + _run, $$$"""{"resourceType":"Device","identifier":[{"system":"urn:other","value":"mon-{{{_run}}}"}],"patient":{"reference":"Patient/pat-{{{_run}}}"}}""");
        await PeerResources.PutAsync(peer, http, "Device", "dev2-" + _run, $$$"""{"resourceType":"Device","identifier":[{"system":"urn:ward","value":"mon2-{{{_run}}}"}],"patient":{"reference":"Patient/pat-{{{_run}}}"}}""");
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;
        harness.Options.DefaultDeviceIdentifierSystem = "urn:ward";

        await harness.AppendAsync(Message("mon-" + _run, 0), Message("mon2-" + _run, 1));
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);

        Assert.Equal("DeviceNotFoundException", Assert.Single(harness.DeadLetters()).KindName);
        Assert.Equal("Device/dev2-" + _run, JsonDocument.Parse(Assert.Single(harness.Outbox()).Body).RootElement.GetProperty("device").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task After_A_Restart_Known_Devices_Map_Without_The_Server_And_Unknown_Ones_Wait_In_The_Inbox()
    {
        using var http = new HttpClient();
        await PutMonitorOfPatientAsync(http);
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;
        await harness.AppendAsync(Message("mon-" + _run, 0));
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);

        // A new stage (a restarted module) whose FHIR server is unreachable.
        var unreachable = new FhirClient(http, new Uri($"http://127.0.0.1:{ClosedPort()}/fhir/"));
        await harness.AppendAsync(Message("mon-" + _run, 1), Message("new-" + _run, 2));
        var clock = new TestClock();
        // The linger would wait on the test's clock too: only the retry delays are timed here.
        harness.Options.MapLinger = TimeSpan.Zero;
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, clock, NullLogger<MapStage>.Instance, unreachable);
        await map.StartAsync(CancellationToken.None);
        // The stage waits on its clock after each failed lookup, twice as long each time: it has tried twice, and
        // held the batch both times, when it waits the second, longer delay.
        await clock.WaitForTimerAsync(harness.Options.FirstRetryDelay);
        clock.Advance(harness.Options.FirstRetryDelay);
        await clock.WaitForTimerAsync(harness.Options.FirstRetryDelay * 2);
        await map.StopAsync(CancellationToken.None);

        // The batch with the unknown device cannot be resolved: it waits, whole, rather than failing or splitting.
        Assert.Equal((2L, 1L, 0L), harness.Counts());

        // The server is back: both are mapped, the known device from the cache.
        await PeerResources.PutAsync(peer, http, "Device", "dev-new-" + _run, $$$"""{"resourceType":"Device","identifier":[{"value":"new-{{{_run}}}"}],"patient":{"reference":"Patient/pat-{{{_run}}}"}}""");
        await RunMapAsync(harness, new FhirClient(http, peer.BaseUrl), () => harness.Counts().Inbox == 0);
        Assert.Equal((0L, 3L, 0L), harness.Counts());
    }

    [Theory]
    [InlineData(60, 1)]
    [InlineData(0, 2)]
    public async Task A_Device_The_Server_Does_Not_Know_Is_Searched_Once_Per_Failure_Interval(int failureCacheSeconds, int expectedSearches)
    {
        using var counting = new CountingHandler();
        using var http = new HttpClient(counting);
        using var harness = new PipelineHarness();
        harness.Options.ResolutionType = IdentityResolutionType.Lookup;
        harness.Options.IdentityFailureCacheExpiry = TimeSpan.FromSeconds(failureCacheSeconds);
        MapStage map = await StartMapAsync(harness, new FhirClient(http, peer.BaseUrl));

        // Two batches from a device the server does not know, one after the other.
        await harness.AppendAsync(Message("unknown-" + _run, 0));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the first batch");
        await harness.AppendAsync(Message("unknown-" + _run, 1));
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the second batch");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(["DeviceNotFoundException", "DeviceNotFoundException"], harness.DeadLetters().ConvertAll(l => l.KindName));
        Assert.Equal(expectedSearches, counting.DeviceSearches);
    }

    /// <summary>Passes every request to the real peer, counting the Device searches.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private int _deviceSearches;

        public int DeviceSearches => Volatile.Read(ref _deviceSearches);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/Device", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _deviceSearches);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Patient pat-{run} and Device dev-{run} (identifier mon-{run}) linked to it, on the peer.</summary>
    private async Task PutMonitorOfPatientAsync(HttpClient http)
    {
        await PeerResources.PutAsync(peer, http, "Patient", "pat-" + _run, $$$"""{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"mrn-{{{_run}}}"}]}""");
        await PeerResources.PutAsync(peer, http, "Device", "dev-" + _run, $$$"""{"resourceType":"Device","identifier":[{"value":"mon-{{{_run}}}"}],"patient":{"reference":"Patient/pat-{{{_run}}}"}}""");
    }

    private static async Task RunMapAsync(PipelineHarness harness, FhirClient client, Func<bool> done)
    {
        MapStage map = await StartMapAsync(harness, client);
        await PipelineHarness.WaitAsync(done, "the map stage");
        await map.StopAsync(CancellationToken.None);
    }

    private static async Task<MapStage> StartMapAsync(PipelineHarness harness, FhirClient client)
    {
        MapStage map = new(harness.Store, PeerResources.HeartRate, harness.FhirMapping, harness.Signals, harness.Options, TimeProvider.System, NullLogger<MapStage>.Instance, client);
        await map.StartAsync(CancellationToken.None);
        return map;
    }

    private static string Message(string device, int second, string? encounter = null, string? patient = null)
    {
        string extra = (encounter is null ? string.Empty : $",\"encounterId\":\"{encounter}\"") + (patient is null ? string.Empty : $",\"patientId\":\"{patient}\"");
        return $$"""{"deviceId":"{{device}}","time":"2026-11-21T10:00:0{{second}}Z","heartRate":{{70 + second}}{{extra}}}""";
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
