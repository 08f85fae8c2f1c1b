using System.Text;
using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class BundleResponseReaderTests
{
    [Fact]
    public void Reads_Status_ETag_Location_And_Outcome_Per_Entry_Skipping_Resources()
    {
        byte[] json = """
            {"resourceType":"Bundle","type":"batch-response","entry":[
              {"resource":{"resourceType":"Observation","id":"a","response":{"status":"999"}},
               "response":{"status":"201 Created","location":"Observation/a/_history/1","etag":"W/\"1\"","lastModified":"2026-11-21T10:00:00Z"}},
              {"response":{"outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","details":{"text":"bad"},"expression":["Observation.status"]}]},"status":"400"}},
              {"response":{"status":"200 OK"}}
            ]}
            """u8.ToArray();

        IReadOnlyList<FhirBundleEntryResponse> entries = BundleResponseReader.Read(json);

        Assert.Equal(3, entries.Count);
        Assert.Equal(201, entries[0].StatusCode);
        Assert.Equal("201 Created", entries[0].StatusText);
        Assert.Equal("Observation/a/_history/1", entries[0].Location);
        Assert.Equal("1", entries[0].VersionId);
        Assert.Equal("2026-11-21T10:00:00Z", entries[0].LastModified);
        Assert.Equal(FhirFailureKind.None, entries[0].FailureKind);
        Assert.Equal(400, entries[1].StatusCode);
        Assert.Equal(FhirFailureKind.Invalid, entries[1].FailureKind);
        FhirOutcomeIssue issue = Assert.Single(entries[1].Outcome!.Issues);
        Assert.Equal("bad", issue.Diagnostics);
        Assert.Equal(["Observation.status"], issue.Expression);
        Assert.Equal(200, entries[2].StatusCode);
        Assert.Null(entries[2].ETag);
    }

    [Fact]
    public void Each_Entry_Resource_Is_The_Exact_Bytes_Of_The_Body_Before_Or_After_Its_Response()
    {
        // Medplum writes "response" first, others "resource" first: both are found, and an entry without one reads empty.
        string first = """{"resourceType":"Observation","id":"a","valueSampledData":{"data":"1 E 2"}}""";
        string second = """{"resourceType":"Observation","id":"b","note":[{"text":"\"response\": {}"}]}""";
        byte[] json = Encoding.UTF8.GetBytes($$$"""
            {"resourceType":"Bundle","type":"batch-response","entry":[
              {"resource":{{{first}}},"response":{"status":"200","etag":"W/\"1\""}},
              {"response":{"status":"404"}},
              {"response":{"status":"200","etag":"W/\"7\""},"resource":{{{second}}}}]}
            """);

        IReadOnlyList<FhirBundleEntryResponse> entries = BundleResponseReader.ReadWithResources(json);

        Assert.Equal(first, Encoding.UTF8.GetString(entries[0].Resource.Span));
        Assert.Equal("1", entries[0].VersionId);
        Assert.True(entries[1].Resource.IsEmpty);
        Assert.Equal(FhirFailureKind.NotFound, entries[1].FailureKind);
        Assert.Equal(second, Encoding.UTF8.GetString(entries[2].Resource.Span));
        Assert.Equal("7", entries[2].VersionId);
    }

    [Fact]
    public void Bundle_Without_Entries_Reads_As_Empty()
    {
        Assert.Empty(BundleResponseReader.Read("""{"resourceType":"Bundle","type":"transaction-response"}"""u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"entry":{}}""")]
    [InlineData("""{"entry":[""")]
    public void Non_Bundle_Body_Throws_FormatException(string body)
    {
        Assert.Throws<FormatException>(() => BundleResponseReader.Read(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("abc", 0)]
    [InlineData("20", 0)]
    [InlineData("2011", 0)]
    [InlineData("412 Precondition Failed", 412)]
    public void Status_Code_Is_Read_From_The_Leading_Three_Digits(string status, int expected)
    {
        byte[] json = Encoding.UTF8.GetBytes($$$"""{"entry":[{"response":{"status":"{{{status}}}"}}]}""");

        Assert.Equal(expected, BundleResponseReader.Read(json)[0].StatusCode);
    }
}
