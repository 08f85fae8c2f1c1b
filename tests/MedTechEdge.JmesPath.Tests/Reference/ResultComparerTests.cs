using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>The referee's comparison is only as good as its equality: it must see real differences and forgive representation.</summary>
public sealed class ResultComparerTests
{
    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("[1, 2.5, \"a\", null, true]", "[1.0, 2.5, \"a\", null, true]")]
    [InlineData("{\"a\": 1, \"b\": [2]}", "{\"b\": [2], \"a\": 1}")]
    [InlineData("\"2021-07-07T17:00:00.0000000Z\"", "\"2021-07-07T19:00:00+02:00\"")]
    public void Equal_values_agree_whatever_their_spelling(string ours, string theirs)
    {
        Assert.Null(ResultComparer.Difference(Eval.Standard("@", ours), Parse(theirs)));
    }

    [Theory]
    [InlineData("1", "2")]
    [InlineData("4052555153018976267", "4052555153018976256")]
    [InlineData("\"a\"", "\"b\"")]
    [InlineData("\"1\"", "1")]
    [InlineData("[1, 2]", "[2, 1]")]
    [InlineData("{\"a\": 1}", "{\"a\": 1, \"b\": 2}")]
    [InlineData("{\"a\": 1}", "{\"b\": 1}")]
    [InlineData("null", "false")]
    [InlineData("\"2021-07-07T17:00:00.0000000Z\"", "\"2021-07-07T17:00:01Z\"")]
    [InlineData("\"2021-07-07\"", "\"2021-07-07T00:00:00Z\"")]
    public void Different_values_are_reported(string ours, string theirs)
    {
        Assert.NotNull(ResultComparer.Difference(Eval.Standard("@", ours), Parse(theirs)));
    }

    [Fact]
    public void A_Json_NET_date_equals_our_string_for_the_same_instant_only()
    {
        JmesPathValue ours = Eval.Standard("@", "\"2021-07-07T17:00:00.1230000Z\"");

        Assert.Null(ResultComparer.Difference(ours, new JValue(new DateTime(2021, 7, 7, 17, 0, 0, 123, DateTimeKind.Utc))));
        Assert.NotNull(ResultComparer.Difference(ours, new JValue(new DateTime(2021, 7, 7, 17, 0, 0, 124, DateTimeKind.Utc))));
    }

    private static JToken Parse(string json) => ReferenceEngine.ParseJson(json);
}
