namespace MedTechEdge.JmesPath.Tests.MedTech;

/// <summary>insertString, fromUnixTimestamp, fromUnixTimestampMs (jmespath.md, "MedTech custom functions").</summary>
public sealed class StringAndDateFunctionTests
{
    [Theory]
    [InlineData("insertString('123', 'patient', `0`)", "patient123")]
    [InlineData("insertString('123', '-', `1`)", "1-23")]
    [InlineData("insertString('123', '!', `3`)", "123!")]
    [InlineData("insertString('', 'x', `0`)", "x")]
    public void InsertString_inserts_at_a_zero_based_position(string expression, string expected)
    {
        Assert.True(Eval.MedTech(expression).TryGetString(out string? value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("insertString('123', 'x', `-1`)")]
    [InlineData("insertString('123', 'x', `4`)")]
    public void InsertString_outside_the_string_is_an_invalid_value_error(string expression)
    {
        Assert.Equal(JmesPathErrorKind.InvalidValue, Eval.MedTechError(expression).ErrorKind);
    }

    [Fact]
    public void InsertString_with_a_float_position_is_an_invalid_type_error()
    {
        JmesPathException error = Eval.MedTechError("insertString('123', 'x', `1.0`)");

        Assert.Equal(JmesPathErrorKind.InvalidType, error.ErrorKind);
        Assert.Equal("Error: invalid-type, function insertString expects argument 3 to be one of the following: integer.", error.Message);
    }

    [Theory]
    [InlineData("insertString(`1`, 'x', `0`)", 1)]
    [InlineData("insertString('1', `null`, `0`)", 2)]
    [InlineData("insertString('1', 'x', '0')", 3)]
    public void InsertString_with_a_wrong_type_names_the_argument(string expression, int argument)
    {
        JmesPathException error = Eval.MedTechError(expression);

        Assert.Equal(JmesPathErrorKind.InvalidType, error.ErrorKind);
        Assert.Contains($"expects argument {argument} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InsertString_takes_three_arguments_checked_at_parse_time()
    {
        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("insertString('a', 'b')", JmesPathFunctionSet.MedTech));

        Assert.Equal(JmesPathErrorKind.InvalidArity, error.ErrorKind);
    }

    [Theory]
    [InlineData("fromUnixTimestamp(`1625677200`)", "2021-07-07T17:00:00.0000000Z")]
    [InlineData("fromUnixTimestamp(`0`)", "1970-01-01T00:00:00.0000000Z")]
    [InlineData("fromUnixTimestamp(`-1`)", "1969-12-31T23:59:59.0000000Z")]
    [InlineData("fromUnixTimestampMs(`1625677200123`)", "2021-07-07T17:00:00.1230000Z")]
    [InlineData("fromUnixTimestampMs(`-1`)", "1969-12-31T23:59:59.9990000Z")]
    public void Unix_timestamps_become_iso_8601_utc_strings(string expression, string expected)
    {
        Assert.True(Eval.MedTech(expression).TryGetString(out string? value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void A_converted_timestamp_is_a_string_inside_jmespath()
    {
        // medtech-semantics §2.3 [REC]: date tokens are strings, so type() and starts_with behave.
        Assert.Equal("\"string\"", Eval.MedTech("type(fromUnixTimestamp(`0`))").ToJsonString());
        Assert.Equal("true", Eval.MedTech("starts_with(fromUnixTimestamp(ts), '2021-07-07')", """{"ts": 1625677200}""").ToJsonString());
    }

    [Theory]
    [InlineData("fromUnixTimestamp(`1625677200.5`)", "fromUnixTimestamp")]
    [InlineData("fromUnixTimestamp('1625677200')", "fromUnixTimestamp")]
    [InlineData("fromUnixTimestampMs(`1.5`)", "fromUnixTimestampMs")]
    [InlineData("fromUnixTimestampMs(`null`)", "fromUnixTimestampMs")]
    public void A_float_or_string_timestamp_is_an_invalid_type_error(string expression, string function)
    {
        JmesPathException error = Eval.MedTechError(expression);

        Assert.Equal(JmesPathErrorKind.InvalidType, error.ErrorKind);
        Assert.Equal($"Error: invalid-type, function {function} expects argument 1 to be one of the following: integer.", error.Message);
    }

    [Theory]
    [InlineData("fromUnixTimestamp(`253402300800`)")]
    [InlineData("fromUnixTimestampMs(`-62135596800001`)")]
    public void A_timestamp_outside_years_1_to_9999_is_an_invalid_value_error(string expression)
    {
        Assert.Equal(JmesPathErrorKind.InvalidValue, Eval.MedTechError(expression).ErrorKind);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("subtract")]
    [InlineData("multiply")]
    [InlineData("divide")]
    [InlineData("pow")]
    [InlineData("insertString")]
    [InlineData("fromUnixTimestamp")]
    [InlineData("fromUnixTimestampMs")]
    public void Custom_functions_exist_only_in_the_medtech_set(string name)
    {
        Assert.True(JmesPathFunctionSet.MedTech.Contains(name));
        Assert.False(JmesPathFunctionSet.Standard.Contains(name));

        var error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse(name + "(`1`)"));
        Assert.Equal(JmesPathErrorKind.UnknownFunction, error.ErrorKind);
    }

    [Fact]
    public void The_medtech_set_also_has_every_builtin()
    {
        Assert.Equal(26, JmesPathFunctionSet.Standard.Names.Count);
        Assert.Equal(34, JmesPathFunctionSet.MedTech.Names.Count);
        Assert.All(JmesPathFunctionSet.Standard.Names, name => Assert.True(JmesPathFunctionSet.MedTech.Contains(name)));
    }
}
