using System.Text;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>The FHIR sink's answer per record, against the real FHIR peer.</summary>
[Collection(FhirPeerFixture.CollectionName)]
public sealed class FhirServerSinkResultTests(FhirPeerFixture peer)
{
    [Fact]
    public async Task A_Bundle_With_An_Invalid_Resource_Reports_That_Record_Alone_And_Writes_The_Others()
    {
        string run = Guid.NewGuid().ToString("N")[..10];
        using var http = new HttpClient();
        var sink = new FhirServerSink(new FhirClient(http, peer.BaseUrl));
        OutboxRecord good1 = Observation("a-" + run, "final");
        OutboxRecord bad = Observation("b-" + run, "bogus");
        OutboxRecord good2 = Observation("c-" + run, "final");

        SinkResult result = await sink.WriteAsync([good1, bad, good2], CancellationToken.None);

        Assert.Equal([good1, good2], result.Succeeded);
        SinkRecordFailure failure = Assert.Single(result.Failed);
        Assert.Same(bad, failure.Record);
        Assert.Equal(SinkFailureKind.InvalidInput, failure.Details.Kind);
        Assert.Contains("Observation.status", failure.Details.Message, StringComparison.Ordinal);
        Assert.Equal(200, HttpStatusCodeOf(await http.GetAsync(new Uri(peer.BaseUrl, "Observation/c-" + run))));
    }

    [Fact]
    public async Task A_Reference_To_A_Missing_Patient_Is_ReferenceNotFound_And_Names_It()
    {
        string run = Guid.NewGuid().ToString("N")[..10];
        using var http = new HttpClient();
        var sink = new FhirServerSink(new FhirClient(http, peer.BaseUrl));
        OutboxRecord orphan = Observation("o-" + run, "final", subject: "Patient/missing-" + run);

        SinkResult result = await sink.WriteAsync([orphan], CancellationToken.None);

        SendFailureDetails details = Assert.Single(result.Failed).Details;
        Assert.Equal(SinkFailureKind.ReferenceNotFound, details.Kind);
        Assert.Equal(["Patient/missing-" + run], details.MissingReferences);
    }

    private static int HttpStatusCodeOf(HttpResponseMessage response)
    {
        using (response)
        {
            return (int)response.StatusCode;
        }
    }

    private static OutboxRecord Observation(string id, string status, string? subject = null) => new()
    {
        DeviceId = "d",
        ResourceType = "Observation",
        ResourceId = id,
        Body = Encoding.UTF8.GetBytes(subject is null
            ? $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"{{{status}}}","code":{"text":"hr"}}"""
            : $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"{{{status}}}","code":{"text":"hr"},"subject":{"reference":"{{{subject}}}"}}"""),
    };
}
