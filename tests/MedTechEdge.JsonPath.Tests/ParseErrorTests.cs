namespace MedTechEdge.JsonPath.Tests;

/// <summary>Syntax errors are found by Parse, for both dialects, and point at the offending character.</summary>
public sealed class ParseErrorTests
{
    [Fact]
    public void Error_Message_Names_The_Position_And_Shows_A_Caret()
    {
        JsonPathException e = Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse("$..[?(@.a >)]", JsonPathDialect.MedTech));
        Assert.Equal(11, e.Position);
        Assert.StartsWith("Unexpected character ')' at position 11 in '$..[?(@.a >)]'.", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("\n$..[?(@.a >)]\n           ^", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.a[?(@.b == 'x')", JsonPathDialect.MedTech, 17)]
    [InlineData("$['a'", JsonPathDialect.MedTech, 5)]
    [InlineData("$.a[-1]", JsonPathDialect.MedTech, 4)]
    [InlineData("$[::0]", JsonPathDialect.MedTech, 4)]
    [InlineData("$[?(@.a == 1 @.b)]", JsonPathDialect.MedTech, 13)]
    [InlineData("$[?@.a = 1]", JsonPathDialect.Rfc9535, 7)]
    [InlineData("$.a.", JsonPathDialect.Rfc9535, 4)]
    [InlineData("$[?@.* == 1]", JsonPathDialect.Rfc9535, 3)]
    [InlineData("$[?length(@.*) == 1]", JsonPathDialect.Rfc9535, 10)]
    [InlineData("$[?match(@.a, 'a') == true]", JsonPathDialect.Rfc9535, 3)]
    [InlineData("$[01]", JsonPathDialect.Rfc9535, 2)]
    [InlineData("$.heartRate-x", JsonPathDialect.Rfc9535, 11)]
    [InlineData(" $", JsonPathDialect.Rfc9535, 1)]
    public void Syntax_Errors_Are_Reported_At_Parse_With_Their_Position(string expression, JsonPathDialect dialect, int position)
    {
        JsonPathException e = Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse(expression, dialect));
        Assert.Equal(position, e.Position);
        Assert.Equal(expression, e.Expression);
        Assert.Contains("at position " + position, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Returns_The_Error_Instead_Of_Throwing()
    {
        Assert.False(JsonPathExpression.TryParse("$[", JsonPathDialect.Rfc9535, out JsonPathExpression? result, out JsonPathException? error));
        Assert.Null(result);
        Assert.Equal(2, error!.Position);
        Assert.True(JsonPathExpression.TryParse("$..[?(@heartRate)]", JsonPathDialect.MedTech, out result, out error));
        Assert.Null(error);
        Assert.Equal("$..[?(@heartRate)]", result!.Text);
    }

    [Fact]
    public void The_Exception_Is_A_Format_Exception()
    {
        Assert.IsAssignableFrom<FormatException>(Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse("$[", JsonPathDialect.MedTech)));
    }

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.a['b'][0]", true)]
    [InlineData("$.a.*", false)]
    [InlineData("$..a", false)]
    [InlineData("$[0,1]", false)]
    [InlineData("$[?@.a]", false)]
    [InlineData("$[1:2]", false)]
    public void IsSingular_Follows_Rfc9535_Singular_Queries(string expression, bool singular)
    {
        Assert.Equal(singular, JsonPathExpression.Parse(expression, JsonPathDialect.Rfc9535).IsSingular);
    }

    [Theory]
    [InlineData("$.matchedToken.x", true)]
    [InlineData("$.SystemProperties.iothub-connection-device-id", true)]
    [InlineData("$..[?(@heartRate)]", false)]
    [InlineData("$.a[0]", true)]
    [InlineData("$.a[*]", false)]
    public void IsSingular_For_MedTech_Paths_Means_Names_And_Single_Indices_Only(string expression, bool singular)
    {
        Assert.Equal(singular, JsonPathExpression.Parse(expression, JsonPathDialect.MedTech).IsSingular);
    }
}
