using System.Net;
using System.Text;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// A window read that fails inside a batch-response classifies exactly as the same failure of a single GET did. No peer
/// answers 401, 429 or 503 on demand, so each status comes from a canned HTTP answer, once as a whole response and once
/// as an entry's <c>response.status</c> and <c>response.outcome</c> (FHIR R4 http.html#transaction-response).
/// </summary>
public sealed class FhirFailureDetailsTests
{
    private const string Outcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"Reference target not found: Patient/p1"}]}""";
    private const string PlainOutcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"no"}]}""";

    [Theory]
    [InlineData(400, PlainOutcome, SinkFailureKind.InvalidInput)]
    [InlineData(400, Outcome, SinkFailureKind.ReferenceNotFound)]
    [InlineData(401, PlainOutcome, SinkFailureKind.Unauthorized)]
    [InlineData(403, PlainOutcome, SinkFailureKind.Unauthorized)]
    [InlineData(404, Outcome, SinkFailureKind.ReferenceNotFound)]
    [InlineData(410, PlainOutcome, SinkFailureKind.Transient)]
    [InlineData(412, PlainOutcome, SinkFailureKind.Transient)]
    [InlineData(429, PlainOutcome, SinkFailureKind.Throttled)]
    [InlineData(500, PlainOutcome, SinkFailureKind.Transient)]
    [InlineData(503, PlainOutcome, SinkFailureKind.Transient)]
    public async Task An_Entry_Classifies_As_The_Same_Whole_Response(int status, string outcome, SinkFailureKind expected)
    {
        FhirResponse single = await AnswerAsync(status, outcome);
        FhirResponse batch = await AnswerAsync(200, $$$"""{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":"{{{status}}}","outcome":{{{outcome}}}}}]}""");

        SendFailureDetails fromSingle = FhirFailureDetails.From(single);
        SendFailureDetails fromEntry = FhirFailureDetails.From(batch.GetEntryResponses()[0]);

        Assert.Equal(expected, fromSingle.Kind);
        Assert.Equal(fromSingle.Kind, fromEntry.Kind);
        Assert.Equal(fromSingle.Message, fromEntry.Message);
        Assert.Equal(fromSingle.MissingReferences, fromEntry.MissingReferences);
    }

    private static async Task<FhirResponse> AnswerAsync(int status, string body)
    {
        using var http = new HttpClient(new CannedAnswer((HttpStatusCode)status, body));
        return await new FhirClient(http, new Uri("http://127.0.0.1:1/fhir/")).ReadAsync("Observation", "o");
    }

    private sealed class CannedAnswer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json"), RequestMessage = request });
    }
}
