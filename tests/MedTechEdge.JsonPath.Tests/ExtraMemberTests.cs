using System.Text.Json;

namespace MedTechEdge.JsonPath.Tests;

/// <summary>
/// <c>Select(root, name, value, output)</c>: the root behaves as if it had one more member, which is how the
/// mapping engine evaluates MedTech's <c>$.matchedToken.x</c> without copying the envelope.
/// </summary>
public sealed class ExtraMemberTests
{
    private const string Envelope = """{"Body":{"heartRate":"78","deviceId":"device123"},"Properties":{},"SystemProperties":{"iothub-connection-device-id":"d1"}}""";

    [Theory]
    [InlineData(JsonPathDialect.MedTech)]
    [InlineData(JsonPathDialect.Rfc9535)]
    public void Matched_Token_Path_Reads_The_Extra_Member(JsonPathDialect dialect)
    {
        Assert.Equal(["\"device123\""], Select("$.matchedToken.deviceId", dialect, Envelope, """{"deviceId":"device123"}"""));
        Assert.Empty(Select("$.matchedToken.patientId", dialect, Envelope, """{"deviceId":"device123"}"""));
    }

    [Fact]
    public void Body_Paths_Still_Read_The_Original_Envelope()
    {
        Assert.Equal(["\"78\""], Select("$.Body.heartRate", JsonPathDialect.MedTech, Envelope, "{}"));
        Assert.Equal(["\"d1\""], Select("$.SystemProperties.iothub-connection-device-id", JsonPathDialect.MedTech, Envelope, "{}"));
    }

    [Theory]
    [InlineData(JsonPathDialect.MedTech, "$..deviceId")]
    [InlineData(JsonPathDialect.Rfc9535, "$..deviceId")]
    public void Descendant_Segments_See_The_Extra_Member_Last(JsonPathDialect dialect, string path)
    {
        Assert.Equal(["\"device123\"", "\"m1\""], Select(path, dialect, Envelope, """{"deviceId":"m1"}"""));
    }

    [Fact]
    public void Wildcard_Lists_The_Extra_Member_After_The_Document_Members()
    {
        string[] values = Select("$.*", JsonPathDialect.MedTech, """{"a":1,"b":2}""", "3");
        Assert.Equal(["1", "2", "3"], values);
    }

    [Fact]
    public void Extra_Member_Replaces_A_Member_Of_The_Same_Name_And_Moves_It_Last()
    {
        Assert.Equal(["2", "9"], Select("$.*", JsonPathDialect.MedTech, """{"matchedToken":1,"b":2}""", "9"));
        Assert.Equal(["9"], Select("$.matchedToken", JsonPathDialect.Rfc9535, """{"matchedToken":1,"b":2}""", "9"));
    }

    [Fact]
    public void Filters_Rooted_At_Dollar_See_The_Extra_Member()
    {
        Assert.Equal(["{\"v\":5}"], Select("$.Body[?(@.v == $.matchedToken.v)]", JsonPathDialect.MedTech, """{"Body":[{"v":4},{"v":5}]}""", """{"v":5}"""));
        Assert.Equal(["{\"v\":5}"], Select("$.Body[?@.v == $.matchedToken.v]", JsonPathDialect.Rfc9535, """{"Body":[{"v":4},{"v":5}]}""", """{"v":5}"""));
    }

    [Fact]
    public void Extra_Member_Is_Ignored_When_The_Root_Is_Not_An_Object()
    {
        Assert.Empty(Select("$.matchedToken", JsonPathDialect.MedTech, "[1,2]", "3"));
    }

    [Fact]
    public void Output_Is_Appended_To_Not_Replaced()
    {
        using JsonDocument doc = JsonDocument.Parse("""{"a":1}""");
        var output = new List<JsonElement> { doc.RootElement };
        JsonPathExpression.Parse("$.a", JsonPathDialect.MedTech).Select(doc.RootElement, output);
        Assert.Equal(2, output.Count);
        Assert.Equal("1", output[1].GetRawText());
    }

    private static string[] Select(string path, JsonPathDialect dialect, string root, string extra)
    {
        using JsonDocument rootDoc = JsonDocument.Parse(root);
        using JsonDocument extraDoc = JsonDocument.Parse(extra);
        var output = new List<JsonElement>();
        JsonPathExpression.Parse(path, dialect).Select(rootDoc.RootElement, "matchedToken", extraDoc.RootElement, output);
        return output.Select(e => e.GetRawText()).ToArray();
    }
}
