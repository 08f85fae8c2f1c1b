using System.Text;
using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// The FHIR sink reads every SampledData window of a batch in one round trip (a batch Bundle of GETs, FHIR R4
/// http.html#transaction) and merges as it did with one GET per window: the FHIR peer's requests are counted on the
/// wire, and the state it ends with is compared with record-at-a-time writes.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class SampledDataWindowReadTests : IDisposable
{
    private const int Windows = 12;

    private static readonly FhirMapping s_mapping = EcgWindowRecords.Mapping;

    private readonly FhirPeerFixture _peer;
    private readonly CountingHandler _wire = new();
    private readonly HttpClient _http;
    private readonly FhirClient _client;
    private readonly string _patient = "pat-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _device = "dev-" + Guid.NewGuid().ToString("N")[..12];

    public SampledDataWindowReadTests(FhirPeerFixture peer)
    {
        _peer = peer;
        _http = new HttpClient(_wire);
        _client = new FhirClient(_http, peer.BaseUrl);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_Windows_Of_A_Batch_Are_Read_In_One_Request()
    {
        FhirServerSink sink = await SinkAsync(Names("one"));
        List<OutboxRecord> batch = [.. Enumerable.Range(0, Windows).Select(i => Record("one" + i, (2, "2.5")))];
        batch.Add(Record("one0", (4, "4.5")));
        Assert.Equal(Windows, batch.Select(r => r.ResourceId).Distinct().Count());
        _wire.Clear();

        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.True(result.IsSuccessful);
        // One batch of reads and one transaction; one GET per window would be 12 requests before the transaction.
        Assert.Equal(["POST " + _peer.BaseUrl.AbsolutePath, "POST " + _peer.BaseUrl.AbsolutePath], _wire.Requests);
        Assert.Equal(["2.5", "E", "4.5"], Slots(await ReadAsync(batch[0].ResourceId))[2..5]);
    }

    [Fact]
    public async Task A_Mixed_Batch_Ends_As_Record_At_A_Time_Writes_End()
    {
        FhirServerSink sink = await SinkAsync([.. Names("mix"), .. Names("ref")]);
        // Half the windows already on the server; in the batch, one of those twice and one new window twice.
        (List<OutboxRecord> Seed, List<OutboxRecord> Batch) Scenario(string prefix)
        {
            List<OutboxRecord> seed = [.. Enumerable.Range(0, Windows / 2).Select(i => Record(prefix + i, (0, "0.5")))];
            List<OutboxRecord> batch = [.. Enumerable.Range(0, Windows).Select(i => Record(prefix + i, (2, "2." + i)))];
            batch.Insert(3, Record(prefix + "0", (4, "4.5")));
            batch.Add(Record(prefix + (Windows - 1), (1, "1.5")));
            return (seed, batch);
        }

        (List<OutboxRecord> seed, List<OutboxRecord> batch) = Scenario("mix");
        Assert.True((await sink.WriteAsync(seed, CancellationToken.None)).IsSuccessful);
        Dictionary<string, string> seededVersions = [];
        foreach (OutboxRecord record in seed)
        {
            seededVersions[record.ResourceId] = Version(await ReadAsync(record.ResourceId));
        }

        (List<OutboxRecord> referenceSeed, List<OutboxRecord> referenceBatch) = Scenario("ref");
        foreach (OutboxRecord record in referenceSeed.Concat(referenceBatch))
        {
            Assert.True((await sink.WriteAsync([record], CancellationToken.None)).IsSuccessful);
        }

        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.True(result.IsSuccessful);
        Assert.Equal(new SinkSaveCounts(Windows / 2, Windows / 2 + 2, 0), result.Saved);
        for (int i = 0; i < Windows; i++)
        {
            JsonElement written = await ReadAsync(Record("mix" + i, (2, "0")).ResourceId);
            JsonElement reference = await ReadAsync(Record("ref" + i, (2, "0")).ResourceId);
            Assert.Equal(reference.GetProperty("status").GetString(), written.GetProperty("status").GetString());
            Assert.Equal(reference.GetProperty("effectivePeriod").GetRawText(), written.GetProperty("effectivePeriod").GetRawText());
            Assert.Equal(reference.GetProperty("valueSampledData").GetRawText(), written.GetProperty("valueSampledData").GetRawText());
            // Amended: a window the server had, or a new one with two records in the batch; final: a new one written once.
            Assert.Equal(i < Windows / 2 || i == Windows - 1 ? "amended" : "final", written.GetProperty("status").GetString());
            if (i < Windows / 2)
            {
                Assert.NotEqual(seededVersions[Record("mix" + i, (2, "0")).ResourceId], Version(written));
            }
        }

        Assert.Equal(["0.5", "E", "2.0", "E", "4.5"], Slots(await ReadAsync(batch[0].ResourceId))[..5]);
    }

    [Fact]
    public async Task A_Window_Changed_On_The_Server_After_The_Batch_Read_Fails_The_Write_And_Keeps_The_Change()
    {
        FhirServerSink sink = await SinkAsync(["race0", "race1"]);
        OutboxRecord[] seed = [Record("race0", (0, "0.5")), Record("race1", (0, "0.5"))];
        Assert.True((await sink.WriteAsync(seed, CancellationToken.None)).IsSuccessful);
        OutboxRecord[] batch = [Record("race0", (2, "2.5")), Record("race1", (2, "2.5"))];
        using var other = new HttpClient();
        var otherClient = new FhirClient(other, _peer.BaseUrl);
        _wire.BeforeSend = async request =>
        {
            // Between the window reads and the transaction, another writer amends window race1.
            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
            if (body.Contains("\"type\":\"transaction\"", StringComparison.Ordinal))
            {
                _wire.BeforeSend = null;
                FhirResponse current = await otherClient.ReadAsync("Observation", batch[1].ResourceId);
                byte[] changed = Encoding.UTF8.GetBytes(current.Json!.Value.GetRawText().Replace("\"status\":\"final\"", "\"status\":\"preliminary\"", StringComparison.Ordinal));
                Assert.True((await otherClient.PutAsync("Observation", batch[1].ResourceId, changed)).IsSuccess);
            }
        };

        SinkResult result = await sink.WriteAsync(batch, CancellationToken.None);

        // The merged PUTs carried If-Match with the versions the batch read returned: 412, retried later, nothing lost.
        Assert.Equal(SinkFailureKind.Transient, result.Failed[0].Details.Kind);
        Assert.Equal("preliminary", (await ReadAsync(batch[1].ResourceId)).GetProperty("status").GetString());
        Assert.Equal("final", (await ReadAsync(batch[0].ResourceId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Windows_Behind_A_Refused_Connection_Are_Transient()
    {
        using var http = new HttpClient();
        var sink = new FhirServerSink(new FhirClient(http, new Uri("http://127.0.0.1:1/fhir/")), s_mapping);

        SinkResult result = await sink.WriteAsync([Record("off0", (0, "1")), Record("off1", (0, "1"))], CancellationToken.None);

        Assert.All(result.Failed, f => Assert.Equal(SinkFailureKind.Transient, f.Details.Kind));
        Assert.Equal(2, result.Failed.Count);
    }

    private static IEnumerable<string> Names(string prefix) => Enumerable.Range(0, Windows).Select(i => prefix + i);

    /// <summary>The sink, after the Patient and the Devices the windows name are on the peer (it checks references).</summary>
    private async Task<FhirServerSink> SinkAsync(IEnumerable<string> devices)
    {
        Assert.True((await _client.PutAsync("Patient", _patient, Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","id":"{{_patient}}"}"""))).IsSuccess);
        using var bundle = new FhirTransactionBuilder();
        foreach (string device in devices)
        {
            bundle.AddPut("Device", DeviceId(device), Encoding.UTF8.GetBytes($$"""{"resourceType":"Device","id":"{{DeviceId(device)}}"}"""));
        }

        Assert.True((await _client.TransactionAsync(bundle.Build())).IsSuccess);
        return new FhirServerSink(_client, s_mapping);
    }

    // Each window is its own Device's: the Observation id derives from the Device reference, the type and the period.
    private string DeviceId(string name) => _device + "-" + name;

    /// <summary>One SampledData window's record for the minute 14:00 of <paramref name="device"/>, with the given seconds' values.</summary>
    private OutboxRecord Record(string device, params (int Second, string Value)[] values) =>
        EcgWindowRecords.Window(device, DeviceId(device), new ResourceReferences(_patient, DeviceId(device)), new DateTime(2026, 11, 21, 14, 1, 0, DateTimeKind.Utc), values);

    private async Task<JsonElement> ReadAsync(string id)
    {
        FhirResponse response = await _client.ReadAsync("Observation", id);
        Assert.True(response.IsSuccess, response.ToString());
        return response.Json!.Value;
    }

    private static string Version(JsonElement observation) => observation.GetProperty("meta").GetProperty("versionId").GetString()!;

    private static string[] Slots(JsonElement observation) => observation.GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ');
}
