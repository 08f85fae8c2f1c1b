using System.Net;
using System.Text;
using MedTechEdge.TestPeers;
using Xunit.Sdk;

namespace MedTechEdge.Fhir.Tests;

[Collection(FhirPeerFixture.CollectionName)]
public sealed class FhirPeerFixtureTests
{
    private readonly FhirPeerFixture _peer;

    public FhirPeerFixtureTests(FhirPeerFixture peer)
    {
        _peer = peer;
    }

    [Fact]
    public void BaseUrl_Is_Loopback_And_Ends_With_Fhir_Slash()
    {
        Assert.Equal("127.0.0.1", _peer.BaseUrl.Host);
        Assert.NotEqual(0, _peer.BaseUrl.Port);
        Assert.EndsWith("/fhir/", _peer.BaseUrl.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_Resource_The_Peer_Accepts_Is_Checked_By_Firely()
    {
        _peer.AssertReceivedResourcesValid();
        int before = _peer.CheckedResources;
        using var http = new HttpClient();
        using (HttpResponseMessage created = await PutAsync(http, _peer, "Device", "firely-checked", """{"resourceType":"Device","id":"firely-checked","status":"active"}"""))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        _peer.AssertReceivedResourcesValid();
        Assert.Equal(before + 1, _peer.CheckedResources);
    }

    [Fact]
    public async Task Disposal_Fails_Naming_A_Resource_The_Peer_Accepted_But_Firely_Rejects()
    {
        // A peer of its own: the shared one must stay clean for the other tests.
        var peer = new FhirPeerFixture();
        await peer.InitializeAsync();
        try
        {
            using var http = new HttpClient();
            using HttpResponseMessage created = await PutAsync(http, peer, "Patient", "firely-rejects", FirelyOnlyRejects);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        XunitException failure = await Assert.ThrowsAsync<XunitException>(peer.DisposeAsync);
        Assert.Contains("Patient/firely-rejects", failure.Message, StringComparison.Ordinal);
    }

    // The narrative's div must be XHTML (R4 narrative.html#xhtml: the XHTML namespace); Medplum's validator does not
    // look inside the string, Firely's strict mode does.
    private const string FirelyOnlyRejects = """
        {"resourceType":"Patient","id":"firely-rejects","text":{"status":"generated","div":"<div>no namespace</div>"}}
        """;

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, FhirPeerFixture peer, string type, string id, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/fhir+json");
        return await http.PutAsync(new Uri(peer.BaseUrl, $"{type}/{id}"), content);
    }

    [Fact]
    public async Task Metadata_Reports_Fhir_4_0_1()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(_peer.BaseUrl, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"fhirVersion\":\"4.0.1\"", body, StringComparison.Ordinal);
    }
}
