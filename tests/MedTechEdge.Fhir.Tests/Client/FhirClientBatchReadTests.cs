using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Fhir.Tests.Client;

/// <summary>
/// <see cref="FhirClient.ReadBatchAsync"/> against the FHIR peer: one batch of <c>GET Observation/{id}</c> answers each
/// id in order as its own read would (FHIR R4 http.html#transaction-response).
/// </summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class FhirClientBatchReadTests(FhirPeerFixture peer) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Each_Entry_Answers_Its_Id_In_Order_With_The_Resource_And_ETag_A_Single_Read_Gives()
    {
        var client = new FhirClient(_http, peer.BaseUrl);
        string system = TestResources.UniqueSystem();
        string a = TestResources.UniqueId(), b = TestResources.UniqueId(), missing = TestResources.UniqueId();
        Assert.True((await client.PutAsync("Observation", a, TestResources.Observation(system, "a", a))).IsSuccess);
        Assert.True((await client.PutAsync("Observation", b, TestResources.Observation(system, "b", b))).IsSuccess);
        Assert.True((await client.PutAsync("Observation", b, TestResources.Observation(system, "b", b, status: "amended"))).IsSuccess);

        FhirResponse response = await client.ReadBatchAsync("Observation", [b, missing, a, b]);

        Assert.Equal(200, response.StatusCode);
        IReadOnlyList<FhirBundleEntryResponse> entries = response.GetEntryResponses();
        Assert.Equal(4, entries.Count);
        Assert.Equal(FhirFailureKind.NotFound, entries[1].FailureKind);
        Assert.True(entries[1].Resource.IsEmpty);
        foreach ((int index, string id) in new[] { (0, b), (2, a), (3, b) })
        {
            FhirResponse single = await client.ReadAsync("Observation", id);
            Assert.Equal(200, entries[index].StatusCode);
            Assert.Equal(single.VersionId, entries[index].VersionId);
            using JsonDocument resource = JsonDocument.Parse(entries[index].Resource);
            Assert.Equal(id, resource.RootElement.GetProperty("id").GetString());
            Assert.Equal(single.Json!.Value.GetProperty("status").GetString(), resource.RootElement.GetProperty("status").GetString());
            Assert.Equal(single.VersionId, resource.RootElement.GetProperty("meta").GetProperty("versionId").GetString());
        }

        Assert.Equal("amended", JsonDocument.Parse(entries[0].Resource).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Malformed_Ids_And_An_Empty_List_Are_Refused_Before_Anything_Is_Sent()
    {
        var client = new FhirClient(_http, peer.BaseUrl);

        await Assert.ThrowsAsync<ArgumentException>(() => client.ReadBatchAsync("Observation", ["ok", "a/b"]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ReadBatchAsync("Observation", []));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ReadBatchAsync("Obs?x", ["ok"]));
    }
}
