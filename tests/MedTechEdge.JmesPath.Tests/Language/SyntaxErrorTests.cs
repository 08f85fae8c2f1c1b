namespace MedTechEdge.JmesPath.Tests.Language;

/// <summary>Parse-time errors carry a kind, a 0-based position and a caret line.</summary>
public sealed class SyntaxErrorTests
{
    [Theory]
    [InlineData("foo.", 4)]
    [InlineData("foo.[", 5)]
    [InlineData("foo bar", 4)]
    [InlineData("a = b", 2)]
    [InlineData("foo[?bar", 8)]
    [InlineData("\"foo", 0)]
    [InlineData("`\"open`", 0)]
    [InlineData("foo[1 2]", 6)]
    [InlineData("foo.\"bar\"(`1`)", 4)]
    public void A_syntax_error_reports_the_position_of_the_offending_token(string expression, int position)
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse(expression));

        Assert.Equal(JmesPathErrorKind.Syntax, error.ErrorKind);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void The_message_shows_the_expression_with_a_caret_under_the_position()
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("foo.["));

        string[] lines = error.Message.Split('\n');
        Assert.StartsWith("Syntax error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("(position 5)", lines[0], StringComparison.Ordinal);
        Assert.Equal("  foo.[", lines[1]);
        Assert.Equal("       ^", lines[2]);
    }

    [Fact]
    public void An_unknown_function_fails_at_parse_time_at_the_name()
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("a | nope(@)"));

        Assert.Equal(JmesPathErrorKind.UnknownFunction, error.ErrorKind);
        Assert.Equal(4, error.Position);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_argument_count_fails_at_parse_time_even_when_never_evaluated()
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("`false` && length(a, b)"));

        Assert.Equal(JmesPathErrorKind.InvalidArity, error.ErrorKind);
        Assert.Equal(11, error.Position);
    }

    [Fact]
    public void A_zero_slice_step_is_an_invalid_value_error_at_parse_time()
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("a[::0]"));

        Assert.Equal(JmesPathErrorKind.InvalidValue, error.ErrorKind);
    }

    [Fact]
    public void A_standard_function_type_error_names_the_function_and_argument()
    {
        var error = Assert.Throws<JmesPathException>(() => Eval.Standard("abs('x')"));

        Assert.Equal(JmesPathErrorKind.InvalidType, error.ErrorKind);
        Assert.Equal(-1, error.Position);
        Assert.Equal("Error: invalid-type, function abs expects argument 1 to be one of the following: number.", error.Message);
    }
}
