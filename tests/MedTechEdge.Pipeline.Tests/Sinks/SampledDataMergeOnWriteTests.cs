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
/// SampledData Observations of one hour written in several batches: the server's copy collects every
/// batch's values (medtech-semantics §7) instead of holding only the last batch.
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class SampledDataMergeOnWriteTests(FhirPeerFixture peer)
{
    private static readonly FhirMapping s_mapping = EcgWindowRecords.Mapping;

    // References to resources that exist on the peer (it checks references).
    private OutboxRecord Observation(string device, params (int Second, string Value)[] values) =>
        EcgWindowRecords.Window(device, device, new ResourceReferences(_patient, _device), DateTime.UtcNow, values);

    private string _patient = string.Empty;
    private string _device = string.Empty;

    private async Task<FhirServerSink> SinkWithIdentitiesAsync(HttpClient http)
    {
        var client = new FhirClient(http, peer.BaseUrl);
        _patient = "pat-" + Guid.NewGuid().ToString("N")[..12];
        _device = "dev-" + Guid.NewGuid().ToString("N")[..12];
        Assert.True((await client.PutAsync("Patient", _patient, Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","id":"{{_patient}}"}"""))).IsSuccess);
        Assert.True((await client.PutAsync("Device", _device, Encoding.UTF8.GetBytes($$"""{"resourceType":"Device","id":"{{_device}}"}"""))).IsSuccess);
        return new FhirServerSink(client, s_mapping);
    }

    private async Task<JsonElement> ReadAsync(HttpClient http, string id) =>
        JsonDocument.Parse(await http.GetStringAsync(new Uri(peer.BaseUrl, "Observation/" + id))).RootElement;

    [Fact]
    public async Task A_Later_Batch_Of_The_Same_Hour_Adds_Its_Slots_To_The_Server_Copy()
    {
        using var http = new HttpClient();
        FhirServerSink sink = await SinkWithIdentitiesAsync(http);
        OutboxRecord first = Observation("d", (0, "0.1"), (1, "0.2"));
        OutboxRecord second = Observation("d", (3, "0.4"));
        Assert.Equal(first.ResourceId, second.ResourceId);

        Assert.True((await sink.WriteAsync([first], CancellationToken.None)).IsSuccessful);
        Assert.True((await sink.WriteAsync([second], CancellationToken.None)).IsSuccessful);

        JsonElement obs = await ReadAsync(http, first.ResourceId);
        Assert.Equal(["0.1", "0.2", "E", "0.4", "E"], obs.GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ')[..5]);
        Assert.Equal("amended", obs.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_Records_Of_One_Observation_In_One_Bundle_Are_Both_Kept()
    {
        using var http = new HttpClient();
        FhirServerSink sink = await SinkWithIdentitiesAsync(http);
        OutboxRecord a = Observation("d", (5, "1.5"));
        OutboxRecord b = Observation("d", (6, "1.6"));

        Assert.True((await sink.WriteAsync([a, b], CancellationToken.None)).IsSuccessful);

        string[] slots = (await ReadAsync(http, a.ResourceId)).GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ');
        Assert.Equal(["1.5", "1.6"], slots[5..7]);
    }

    [Fact]
    public async Task Writing_Nothing_New_Leaves_The_Server_Version_Unchanged()
    {
        using var http = new HttpClient();
        FhirServerSink sink = await SinkWithIdentitiesAsync(http);
        OutboxRecord record = Observation("d", (9, "2.0"));
        await sink.WriteAsync([record], CancellationToken.None);
        string version = (await ReadAsync(http, record.ResourceId)).GetProperty("meta").GetProperty("versionId").GetString()!;

        Assert.True((await sink.WriteAsync([Observation("d", (9, "2.0"))], CancellationToken.None)).IsSuccessful);

        Assert.Equal(version, (await ReadAsync(http, record.ResourceId)).GetProperty("meta").GetProperty("versionId").GetString());
    }
}
