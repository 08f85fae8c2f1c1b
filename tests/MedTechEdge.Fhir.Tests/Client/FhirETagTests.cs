using MedTechEdge.Fhir.Client;

namespace MedTechEdge.Fhir.Tests.Client;

public sealed class FhirETagTests
{
    [Theory]
    [InlineData("3", "W/\"3\"")]
    [InlineData("W/\"3\"", "W/\"3\"")]
    [InlineData("\"3\"", "\"3\"")]
    [InlineData(" 9f2c ", "W/\"9f2c\"")]
    public void IfMatch_Accepts_Bare_Versions_And_ETags(string input, string expected)
    {
        Assert.Equal(expected, FhirETag.ToIfMatch(input));
    }

    [Theory]
    [InlineData("W/\"3\"", "3")]
    [InlineData("\"3\"", "3")]
    [InlineData("3", "3")]
    [InlineData("W/\"\"", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Version_Id_Is_The_Tag_Without_Weak_Prefix_And_Quotes(string? etag, string? expected)
    {
        Assert.Equal(expected, FhirETag.ToVersionId(etag));
    }
}
