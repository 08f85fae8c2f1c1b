using MedTechEdge.Fhir.Client;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Fhir.Tests.Client;

/// <summary>A throttled answer's <c>Retry-After</c>, as seconds or as an HTTP-date read on the client's clock.</summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class FhirClientRetryAfterTests(FhirPeerFixture peer)
{
    [Fact]
    public async Task An_Http_Date_Becomes_A_Wait_From_The_Clients_Clock()
    {
        await using var proxy = new FhirRecordingProxy(peer.BaseUrl) { Fault = FhirFault.TooManyRequestsUntilDate };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // The test clock starts 30 s before the date the proxy names; the real clock is days past it (a wait of 0).
        var client = new FhirClient(http, proxy.BaseUrl) { Clock = new TestClock() };

        FhirResponse response = await client.ReadAsync("Observation", "throttled");

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(FhirFailureKind.Throttled, response.FailureKind);
        Assert.Equal(TimeSpan.FromSeconds(30), response.RetryAfter);
    }

    [Fact]
    public async Task Seconds_Are_The_Wait_Itself()
    {
        await using var proxy = new FhirRecordingProxy(peer.BaseUrl) { Fault = FhirFault.TooManyRequests };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new FhirClient(http, proxy.BaseUrl) { Clock = new TestClock() };

        FhirResponse response = await client.ReadAsync("Observation", "throttled");

        Assert.Equal(TimeSpan.FromSeconds(1), response.RetryAfter);
    }
}
