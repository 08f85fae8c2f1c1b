using System.Net;
using System.Net.Sockets;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

/// <summary>Failures below HTTP: no server, or a server that never answers. No FHIR peer needed.</summary>
public sealed class FhirClientTransportTests
{
    [Fact]
    public async Task Unreachable_Server_Returns_Transient_Response_Instead_Of_Throwing()
    {
        int closedPort = GetClosedLoopbackPort();
        using var http = new HttpClient();
        var client = new FhirClient(http, new Uri($"http://127.0.0.1:{closedPort}/fhir"));

        FhirResponse response = await client.PutAsync("Observation", "abc", """{"resourceType":"Observation","id":"abc"}"""u8.ToArray());

        Assert.Equal(0, response.StatusCode);
        Assert.Equal(FhirFailureKind.Transient, response.FailureKind);
        Assert.False(response.IsSuccess);
        Assert.IsType<HttpRequestException>(response.TransportError);
        Assert.True(response.Body.IsEmpty);
        Assert.Null(response.Json);
        Assert.Null(response.Outcome);
    }

    [Fact]
    public async Task HttpClient_Timeout_Returns_Transient_Response()
    {
        // Accepts the connection and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var client = new FhirClient(http, new Uri($"http://127.0.0.1:{port}/fhir/"));

        FhirResponse response = await client.ReadAsync("Observation", "abc");

        Assert.Equal(0, response.StatusCode);
        Assert.Equal(FhirFailureKind.Transient, response.FailureKind);
        Assert.IsAssignableFrom<OperationCanceledException>(response.TransportError);
    }

    [Fact]
    public async Task Caller_Cancellation_Throws_Even_When_Server_Never_Answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new FhirClient(http, new Uri($"http://127.0.0.1:{port}/fhir/"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadAsync("Observation", "abc", cancellation.Token));
    }

    [Theory]
    [InlineData("Observation/x", "abc")]
    [InlineData("Observation", "a/b")]
    [InlineData("Observation", "a?b")]
    [InlineData("", "abc")]
    public async Task Malformed_Type_Or_Id_Is_Rejected_Before_Sending(string resourceType, string id)
    {
        using var http = new HttpClient();
        var client = new FhirClient(http, new Uri("http://127.0.0.1:1/fhir/"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.ReadAsync(resourceType, id));
    }

    [Fact]
    public void Base_Url_Gets_A_Trailing_Slash()
    {
        using var http = new HttpClient();

        var client = new FhirClient(http, new Uri("http://127.0.0.1:8080/fhir"));

        Assert.Equal("http://127.0.0.1:8080/fhir/", client.BaseUrl.AbsoluteUri);
    }

    [Fact]
    public async Task Next_Link_To_Another_Server_Is_Refused()
    {
        using var http = new HttpClient();
        var client = new FhirClient(http, new Uri("http://127.0.0.1:8080/fhir/"), new StaticFhirAccessTokenProvider("t"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPageAsync(new Uri("http://evil.example/fhir/Observation?_offset=2")));
    }

    private static int GetClosedLoopbackPort()
    {
        // Bind to get a free port from the OS, then close it: nothing listens there afterwards.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
