using System.Text;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>
/// A batch read's entry names the window it holds and its version through these two values: the id checks that the
/// entry answers the read at its position, the versionId stands in for a missing entry etag in the merged PUT's If-Match.
/// </summary>
public sealed class ResourceIdentityTests
{
    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"w1","meta":{"versionId":"3","lastUpdated":"2026-12-07T00:00:00Z"}}""", "w1", "3")]
    [InlineData("""{"meta":{"tag":[{"code":"x"}],"versionId":"7"},"status":"final","id":"w2"}""", "w2", "7")]
    [InlineData("""{"resourceType":"Observation","contained":[{"id":"inner","meta":{"versionId":"9"}}],"id":"w3"}""", "w3", null)]
    [InlineData("""{"resourceType":"Observation","id":"w4"}""", "w4", null)]
    [InlineData("""{"resourceType":"Observation","id":{"odd":true},"meta":"not an object"}""", null, null)]
    [InlineData("""[1,2]""", null, null)]
    [InlineData("""{"id":"w5","meta":{"versionId":""", null, null)]
    public void Reads_The_Top_Level_Id_And_Version(string json, string? id, string? versionId)
    {
        (string? readId, string? readVersion) = ResourceIdentity.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal(id, readId);
        Assert.Equal(versionId, readVersion);
    }
}
