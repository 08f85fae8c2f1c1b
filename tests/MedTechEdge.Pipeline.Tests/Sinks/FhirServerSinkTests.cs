using System.Text;
using Azure.Identity;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Tests.Sinks;

public sealed class FhirServerSinkTests
{
    [Fact]
    public async Task An_Unreachable_Identity_Service_Is_Unauthorized_So_The_Data_Waits_In_The_Outbox()
    {
        // Entra ID "down": the authority refuses connections, as when the gateway is offline.
        var credential = new ClientSecretCredential("tenant", "client", "secret", new ClientSecretCredentialOptions
        {
            AuthorityHost = new Uri("https://127.0.0.1:1/"),
            Retry = { MaxRetries = 0 },
        });
        using var http = new HttpClient();
        var sink = new FhirServerSink(new FhirClient(http, new Uri("http://127.0.0.1:1/fhir/"), new TokenCredentialAccessTokenProvider(credential, "https://fhir.example.org/.default")));
        OutboxRecord record = new() { DeviceId = "d", ResourceType = "Observation", ResourceId = "o", Body = Encoding.UTF8.GetBytes("""{"resourceType":"Observation","id":"o"}""") };

        SinkResult result = await sink.WriteAsync([record], CancellationToken.None);

        SendFailureDetails details = Assert.Single(result.Failed).Details;
        Assert.Equal(SinkFailureKind.Unauthorized, details.Kind);
        Assert.True(details.WaitsForever);
        Assert.StartsWith("Could not obtain an access token", details.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Refused_Connection_Is_Transient()
    {
        using var http = new HttpClient();
        var sink = new FhirServerSink(new FhirClient(http, new Uri("http://127.0.0.1:1/fhir/")));
        OutboxRecord record = new() { DeviceId = "d", ResourceType = "Observation", ResourceId = "o", Body = Encoding.UTF8.GetBytes("""{"resourceType":"Observation","id":"o"}""") };

        SinkResult result = await sink.WriteAsync([record], CancellationToken.None);

        Assert.Equal(SinkFailureKind.Transient, Assert.Single(result.Failed).Details.Kind);
    }
}
