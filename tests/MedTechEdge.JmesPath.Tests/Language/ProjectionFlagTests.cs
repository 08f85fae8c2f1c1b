namespace MedTechEdge.JmesPath.Tests.Language;

/// <summary>IsProjection and IsProjectionResult drive MedTech's select-many type match (medtech-semantics §2.3).</summary>
public sealed class ProjectionFlagTests
{
    private const string Document = """{"a": [{"b": 1}, {"b": 2}], "o": {"x": 1, "y": 2}}""";

    [Theory]
    [InlineData("a[*]", true)]
    [InlineData("a[*].b", true)]
    [InlineData("o.*", true)]
    [InlineData("*", true)]
    [InlineData("a[]", true)]
    [InlineData("a[?b]", true)]
    [InlineData("a[0:1]", true)]
    [InlineData("a[*] | @", true)]
    [InlineData("a", false)]
    [InlineData("a[0]", false)]
    [InlineData("a[*] | [0]", false)]
    [InlineData("a[*] | length(@)", false)]
    [InlineData("length(a[*])", false)]
    [InlineData("not_null(a[*])", false)]
    [InlineData("[a[*]]", false)]
    [InlineData("{k: a[*]}", false)]
    public void Projection_shape_is_known_after_parse_and_on_the_result(string text, bool isProjection)
    {
        JmesPathExpression expression = JmesPathExpression.Parse(text);

        Assert.Equal(isProjection, expression.IsProjection);
        Assert.Equal(isProjection, expression.Evaluate(Eval.Document(Document)).IsProjectionResult);
    }

    [Fact]
    public void A_projection_over_a_non_array_gives_null()
    {
        JmesPathValue result = Eval.Standard("o[*]", Document);

        Assert.True(result.IsNull);
        Assert.False(result.IsProjectionResult);
    }
}
