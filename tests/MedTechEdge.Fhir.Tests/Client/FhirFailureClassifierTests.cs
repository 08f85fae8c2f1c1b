using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class FhirFailureClassifierTests
{
    [Theory]
    [InlineData(200, FhirFailureKind.None)]
    [InlineData(201, FhirFailureKind.None)]
    [InlineData(204, FhirFailureKind.None)]
    [InlineData(304, FhirFailureKind.None)]
    [InlineData(0, FhirFailureKind.Transient)]
    [InlineData(408, FhirFailureKind.Transient)]
    [InlineData(500, FhirFailureKind.Transient)]
    [InlineData(502, FhirFailureKind.Transient)]
    [InlineData(503, FhirFailureKind.Transient)]
    [InlineData(504, FhirFailureKind.Transient)]
    [InlineData(429, FhirFailureKind.Throttled)]
    [InlineData(401, FhirFailureKind.Unauthorized)]
    [InlineData(403, FhirFailureKind.Unauthorized)]
    [InlineData(409, FhirFailureKind.Conflict)]
    [InlineData(412, FhirFailureKind.Conflict)]
    [InlineData(404, FhirFailureKind.NotFound)]
    [InlineData(410, FhirFailureKind.NotFound)]
    [InlineData(400, FhirFailureKind.Invalid)]
    [InlineData(405, FhirFailureKind.Invalid)]
    [InlineData(413, FhirFailureKind.Invalid)]
    [InlineData(415, FhirFailureKind.Invalid)]
    [InlineData(422, FhirFailureKind.Invalid)]
    public void Status_Code_Maps_To_Failure_Kind(int statusCode, FhirFailureKind expected)
    {
        Assert.Equal(expected, FhirFailureClassifier.Classify(statusCode));
    }
}
