using MedTechEdge.IotEdge;

namespace MedTechEdge.IotEdge.Tests;

/// <summary>Twin and method topics as edgeHub writes them (shared/research/protocols.md C.2, C.3).</summary>
public sealed class IotHubTopicsTests
{
    [Theory]
    [InlineData("$iothub/twin/res/200/?$rid=ab12", 200, "ab12", null)]
    [InlineData("$iothub/twin/res/204/?$rid=ab13&$version=4", 204, "ab13", 4L)]
    [InlineData("$iothub/twin/res/429/?$version=9&$rid=7", 429, "7", 9L)]
    public void Twin_Answers_Give_Status_Request_Id_And_Version(string topic, int status, string rid, long? version)
    {
        Assert.True(IotHubTopics.TryParseTwinResponse(topic, out int s, out string r, out long? v));
        Assert.Equal((status, rid, version), (s, r, v));
    }

    [Theory]
    [InlineData("$iothub/twin/res/200/")]
    [InlineData("$iothub/twin/res/x/?$rid=1")]
    [InlineData("$iothub/methods/POST/reset/?$rid=42")]
    public void Other_Topics_Are_Not_Twin_Answers(string topic) =>
        Assert.False(IotHubTopics.TryParseTwinResponse(topic, out _, out _, out _));

    [Fact]
    public void A_Method_Call_Gives_Name_And_Request_Id_And_The_Answer_Echoes_It()
    {
        Assert.True(IotHubTopics.TryParseMethodRequest("$iothub/methods/POST/reset/?$rid=42", out string method, out string rid));

        Assert.Equal(("reset", "42"), (method, rid));
        Assert.Equal("$iothub/methods/res/200/?$rid=42", IotHubTopics.MethodResponse(200, rid));
        Assert.False(IotHubTopics.TryParseMethodRequest("$iothub/methods/POST/reset/", out _, out _));
    }

    [Fact]
    public void Requests_Use_The_Sdk_Topics()
    {
        Assert.Equal("$iothub/twin/GET/?$rid=1", IotHubTopics.TwinGet("1"));
        Assert.Equal("$iothub/twin/PATCH/properties/reported/?$rid=2", IotHubTopics.ReportedPatch("2"));
        Assert.True(IotHubTopics.IsDesiredPatch("$iothub/twin/PATCH/properties/desired/?$version=7"));
        Assert.False(IotHubTopics.IsDesiredPatch("$iothub/twin/PATCH/properties/reported/?$rid=2"));
    }
}
