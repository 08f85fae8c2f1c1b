using System.Net;
using MedTechEdge.TestPeers;

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
    public async Task Metadata_Reports_Fhir_4_0_1()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(_peer.BaseUrl, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"fhirVersion\":\"4.0.1\"", body, StringComparison.Ordinal);
    }
}
