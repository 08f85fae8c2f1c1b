namespace MedTechEdge.JmesPath.Tests.MedTech;

/// <summary>add, subtract, multiply, divide, pow: the integer/float typing rules of jmespath.md, "MedTech custom functions".</summary>
public sealed class ArithmeticFunctionTests
{
    [Theory]
    [InlineData("add(`2`, `3`)", 5)]
    [InlineData("subtract(`2`, `3`)", -1)]
    [InlineData("multiply(`6`, `7`)", 42)]
    [InlineData("divide(`7`, `2`)", 3)]
    [InlineData("divide(`-7`, `2`)", -3)]
    [InlineData("pow(`2`, `10`)", 1024)]
    public void Integer_op_integer_gives_an_integer(string expression, long expected)
    {
        JmesPathValue result = Eval.MedTech(expression);

        Assert.True(result.IsInteger);
        Assert.True(result.TryGetInt64(out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("add(`2`, `0.5`)", 2.5)]
    [InlineData("subtract(`2.5`, `1`)", 1.5)]
    [InlineData("multiply(`2`, `1.5`)", 3.0)]
    [InlineData("divide(`40.0`, `50`)", 0.8)]
    [InlineData("pow(`2.0`, `3`)", 8.0)]
    [InlineData("pow(`4`, `0.5`)", 2.0)]
    public void A_float_on_either_side_gives_a_float(string expression, double expected)
    {
        JmesPathValue result = Eval.MedTech(expression);

        Assert.False(result.IsInteger);
        Assert.True(result.TryGetDouble(out double value));
        Assert.Equal(expected, value, 12);
    }

    [Fact]
    public void A_number_written_with_a_fraction_is_a_float_even_when_whole()
    {
        Assert.False(Eval.MedTech("add(`1.0`, `1`)").IsInteger);
    }

    [Fact]
    public void Integer_division_truncates_as_the_open_source_connector_does()
    {
        // The MedTech docs claim 0.8; the connector returns 0 (jmespath.md, "MedTech custom functions").
        Assert.Equal("0", Eval.MedTech("divide(`40`, `50`)").ToJsonString());
    }

    [Theory]
    [InlineData("add(`9223372036854775807`, `1`)")]
    [InlineData("subtract(`-9223372036854775808`, `1`)")]
    [InlineData("multiply(`4611686018427387904`, `2`)")]
    [InlineData("divide(`-9223372036854775808`, `-1`)")]
    [InlineData("pow(`40`, `50`)")]
    [InlineData("pow(`2`, `63`)")]
    public void Integer_overflow_is_an_error_not_a_wrap(string expression)
    {
        JmesPathException error = Eval.MedTechError(expression);

        Assert.Equal(JmesPathErrorKind.Overflow, error.ErrorKind);
    }

    [Fact]
    public void Overflowing_values_from_the_document_are_errors_too()
    {
        JmesPathException error = Eval.MedTechError("add(a, b)", """{"a": 9223372036854775807, "b": 9223372036854775807}""");

        Assert.Equal(JmesPathErrorKind.Overflow, error.ErrorKind);
        Assert.Contains("add", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_integers_do_not_count_as_overflow()
    {
        Assert.Equal("9223372036854775807", Eval.MedTech("add(`9223372036854775806`, `1`)").ToJsonString());
        Assert.Equal("-9223372036854775808", Eval.MedTech("pow(`-2`, `63`)").ToJsonString());
    }

    [Fact]
    public void Integer_division_by_zero_is_an_error()
    {
        Assert.Equal(JmesPathErrorKind.DivideByZero, Eval.MedTechError("divide(`1`, `0`)").ErrorKind);
    }

    [Theory]
    [InlineData("divide(`1.0`, `0`)", double.PositiveInfinity, "\"Infinity\"")]
    [InlineData("divide(`-1`, `0.0`)", double.NegativeInfinity, "\"-Infinity\"")]
    public void Float_division_by_zero_gives_infinity(string expression, double expected, string json)
    {
        JmesPathValue result = Eval.MedTech(expression);

        Assert.True(result.TryGetDouble(out double value));
        Assert.Equal(expected, value);
        Assert.Equal(json, result.ToJsonString());
    }

    [Fact]
    public void Zero_float_divided_by_zero_is_not_a_number()
    {
        Assert.True(Eval.MedTech("divide(`0.0`, `0`)").TryGetDouble(out double value));
        Assert.True(double.IsNaN(value));
    }

    [Fact]
    public void Integer_pow_is_exact_beyond_double_precision()
    {
        Assert.Equal("4052555153018976267", Eval.MedTech("pow(`3`, `39`)").ToJsonString());
    }

    [Theory]
    [InlineData("pow(`0`, `0`)", 1)]
    [InlineData("pow(`2`, `-1`)", 0)]
    [InlineData("pow(`1`, `-5`)", 1)]
    [InlineData("pow(`-1`, `-3`)", -1)]
    public void Integer_pow_edge_cases_follow_the_connector(string expression, long expected)
    {
        Assert.True(Eval.MedTech(expression).TryGetInt64(out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("add('1', `2`)", "add", 1)]
    [InlineData("subtract(`1`, '2')", "subtract", 2)]
    [InlineData("multiply(`null`, `2`)", "multiply", 1)]
    [InlineData("divide(`1`, `[2]`)", "divide", 2)]
    [InlineData("pow(`true`, `2`)", "pow", 1)]
    public void A_non_number_argument_is_an_invalid_type_error_with_the_medtech_message(string expression, string function, int argument)
    {
        JmesPathException error = Eval.MedTechError(expression);

        Assert.Equal(JmesPathErrorKind.InvalidType, error.ErrorKind);
        Assert.Equal($"Error: invalid-type, function {function} expects argument {argument} to be one of the following: number.", error.Message);
    }

    [Theory]
    [InlineData("add(`1`)")]
    [InlineData("subtract(`1`, `2`, `3`)")]
    [InlineData("multiply()")]
    [InlineData("divide(`1`)")]
    [InlineData("pow(`1`, `2`, `3`)")]
    public void The_wrong_argument_count_fails_at_parse_time(string expression)
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse(expression, JmesPathFunctionSet.MedTech));

        Assert.Equal(JmesPathErrorKind.InvalidArity, error.ErrorKind);
        Assert.Equal(0, error.Position);
    }

    [Fact]
    public void The_argument_type_check_happens_at_evaluation_not_at_parse()
    {
        JmesPathExpression expression = JmesPathExpression.Parse("add(a, `1`)", JmesPathFunctionSet.MedTech);

        Assert.Equal("3", expression.Evaluate(Eval.Document("""{"a": 2}""")).ToJsonString());
        Assert.Throws<JmesPathException>(() => expression.Evaluate(Eval.Document("""{"a": "2"}""")));
    }
}
