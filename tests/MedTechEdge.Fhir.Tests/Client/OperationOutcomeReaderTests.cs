using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class OperationOutcomeReaderTests
{
    [Fact]
    public void Reads_Issues_When_ResourceType_Comes_Last()
    {
        FhirOperationOutcome? outcome = OperationOutcomeReader.TryRead("""
            {"issue":[{"severity":"error","code":"structure","diagnostics":"Missing required property","expression":["Observation.code"],"extension":[{"url":"x"}]}],
             "resourceType":"OperationOutcome"}
            """u8);

        FhirOutcomeIssue issue = Assert.Single(outcome!.Issues);
        Assert.Equal("error", issue.Severity);
        Assert.Equal("structure", issue.Code);
        Assert.Equal("Missing required property", issue.Diagnostics);
        Assert.Equal(["Observation.code"], issue.Expression);
        Assert.Equal("error/structure: Missing required property (Observation.code)", outcome.ToString());
    }

    [Fact]
    public void Diagnostics_Fall_Back_To_Details_Text_And_Location()
    {
        FhirOperationOutcome? outcome = OperationOutcomeReader.TryRead("""
            {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","details":{"coding":[],"text":"Not found"},"location":["/f:id"]}]}
            """u8);

        FhirOutcomeIssue issue = Assert.Single(outcome!.Issues);
        Assert.Equal("Not found", issue.Diagnostics);
        Assert.Equal(["/f:id"], issue.Expression);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","issue":[]}""")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1]")]
    public void Anything_Else_Is_Not_An_Outcome(string body)
    {
        Assert.Null(OperationOutcomeReader.TryRead(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
