using Newtonsoft.Json.Linq;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Each difference from JmesPath.Net that we keep on purpose, pinned on both sides: what we do, and what the
/// referee does (docs/jmespath.md, "JmesPath.Net as a referee"). If either engine changes, the pin fails.
/// </summary>
public sealed class KnownDifferenceTests
{
    private readonly ReferenceEngine _reference = new();

    [Theory]
    [InlineData("add(`9223372036854775807`, `1`)", long.MinValue)]
    [InlineData("subtract(`-9223372036854775808`, `1`)", long.MaxValue)]
    [InlineData("multiply(`4611686018427387904`, `2`)", long.MinValue)]
    [InlineData("multiply(`3`, `9223372036854775807`)", 9223372036854775805)]
    public void Integer_overflow_is_an_error_here_while_JmesPath_Net_with_the_connector_functions_wraps(string expression, long wrapped)
    {
        Assert.Equal(JmesPathErrorKind.Overflow, Eval.MedTechError(expression).ErrorKind);

        JToken theirs = Theirs(expression, "{}");
        Assert.Equal(JTokenType.Integer, theirs.Type);
        Assert.Equal(wrapped, theirs.Value<long>());
    }

    [Theory]
    [InlineData("a + b", """{"a": 1, "b": 2}""", 3.0)]
    [InlineData("a - b", """{"a": 1, "b": 2}""", -1.0)]
    [InlineData("a // b", """{"a": 7, "b": 2}""", 3.0)]
    [InlineData("let $x = a in $x", """{"a": 5}""", 5.0)]
    public void Non_standard_syntax_that_JmesPath_Net_accepts_is_a_syntax_error_here(string expression, string json, double theirResult)
    {
        JmesPathException error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse(expression, JmesPathFunctionSet.MedTech));
        Assert.Equal(JmesPathErrorKind.Syntax, error.ErrorKind);

        Assert.Equal(theirResult, Theirs(expression, json).Value<double>());
    }

    [Fact]
    public void The_non_standard_items_function_is_an_unknown_function_here()
    {
        JmesPathException error = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse("items(@)", JmesPathFunctionSet.MedTech));
        Assert.Equal(JmesPathErrorKind.UnknownFunction, error.ErrorKind);

        Assert.True(JToken.DeepEquals(JToken.Parse("""[["a", 1]]"""), Theirs("items(@)", """{"a": 1}""")));
    }

    [Fact]
    public void A_raw_string_keeps_both_backslashes_of_an_escaped_backslash_as_the_compliance_suite_says()
    {
        // literal.json: '\\' is the two characters \\ (raw strings unescape only \'). JmesPath.Net follows the
        // community JEP that also unescapes \\, and gives a single backslash.
        Assert.True(Eval.Standard(@"'\\'").TryGetString(out string? ours));
        Assert.Equal(@"\\", ours);

        Assert.Equal(@"\", Theirs(@"'\\'", "{}").Value<string>());
    }

    [Fact]
    public void Integer_pow_is_exact_here_while_JmesPath_Net_with_the_connector_functions_rounds_through_a_double()
    {
        Assert.True(Eval.MedTech("pow(`3`, `39`)").TryGetInt64(out long ours));
        Assert.Equal(4052555153018976267, ours);

        long theirs = Theirs("pow(`3`, `39`)", "{}").Value<long>();
        Assert.NotEqual(ours, theirs);
        Assert.Equal((double)ours, (double)theirs);
    }

    [Fact]
    public void Integer_pow_with_a_huge_odd_exponent_keeps_its_sign_here_while_the_double_exponent_rounds_to_even_there()
    {
        // 9223372036854775807 as a double is 2^63, which is even: (-1)^(2^63) = 1.
        const string Expression = "pow(`-1`, `9223372036854775807`)";
        Assert.True(Eval.MedTech(Expression).TryGetInt64(out long ours));
        Assert.Equal(-1, ours);

        Assert.Equal(1, Theirs(Expression, "{}").Value<long>());
    }

    [Fact]
    public void A_bare_word_between_backticks_is_a_legacy_string_here_and_a_syntax_error_in_JmesPath_Net()
    {
        // The form MedTech templates write (jmespath.md, legacy literals); JmesPath.Net 1.1.0 only reads JSON there.
        const string Expression = "contains(keys(@), `heartRate`)";
        Assert.True(Eval.MedTech(Expression, """{"heartRate": 78}""").GetBoolean());

        Outcome<DevLab.JmesPath.Expressions.JmesPathArgument> theirs = _reference.Evaluate(Expression, ReferenceEngine.ParseJson("{}"));
        Assert.True(theirs.Failed);
        Assert.Equal("syntax", theirs.ErrorKind);
    }

    [Theory]
    [InlineData("Body[*].value", """{"Body": [{"value": 1}, {"value": null}, {"other": 2}]}""", "[1]", "[1, null]")]
    [InlineData("Body.*", """{"Body": {"a": 1, "b": null}}""", "[1]", "[1, null]")]
    [InlineData("Body[?v].value", """{"Body": [{"v": true, "value": null}, {"v": true, "value": 2}]}""", "[2]", "[null, 2]")]
    public void Projections_drop_explicit_nulls_of_the_document_here_while_JmesPath_Net_keeps_them(string expression, string json, string ours, string theirs)
    {
        // Specification, "Projections": a null result of the right-hand side is not added to the collected results.
        JsonAssert.Equal(ours, Eval.Standard(expression, json));

        Assert.True(JToken.DeepEquals(JToken.Parse(theirs), Theirs(expression, json)));
    }

    [Theory]
    [InlineData("abs(`1625677200123`)", "{}", 1625677200123)]
    [InlineData("sort_by(@, &t)[0].t", """[{"t": 1625677200123}, {"t": 1625677200000}]""", 1625677200000)]
    [InlineData("ceil(`9223372036854775807`)", "{}", long.MaxValue)]
    [InlineData("floor(`9223372036854775807`)", "{}", long.MaxValue)]
    public void Integers_beyond_Int32_work_here_while_JmesPath_Net_throws_OverflowException(string expression, string json, long ours)
    {
        // Millisecond timestamps (fromUnixTimestampMs input) are past Int32: JmesPath.Net's abs and sort_by read
        // integers as int, and its ceil and floor return Convert.ToInt64 of a double (2^63 for Int64.MaxValue).
        Assert.True(Eval.Standard(expression, json).TryGetInt64(out long result));
        Assert.Equal(ours, result);

        Outcome<DevLab.JmesPath.Expressions.JmesPathArgument> theirs = _reference.Evaluate(expression, ReferenceEngine.ParseJson(json));
        Assert.IsType<OverflowException>(theirs.Error);
    }

    [Fact]
    public void Dates_are_ISO_strings_here_and_Json_NET_dates_there_naming_the_same_instant()
    {
        const string Expression = "fromUnixTimestamp(`1625677200`)";
        JmesPathValue ours = Eval.MedTech(Expression);
        JToken theirs = Theirs(Expression, "{}");

        Assert.True(ours.TryGetString(out string? text));
        Assert.Equal("2021-07-07T17:00:00.0000000Z", text);
        Assert.Equal(JTokenType.Date, theirs.Type);
        Assert.Equal(new DateTime(2021, 7, 7, 17, 0, 0, DateTimeKind.Utc), theirs.Value<DateTime>());
        Assert.Null(ResultComparer.Difference(ours, theirs));
    }

    private JToken Theirs(string expression, string json)
    {
        Outcome<DevLab.JmesPath.Expressions.JmesPathArgument> outcome = _reference.Evaluate(expression, ReferenceEngine.ParseJson(json));
        Assert.False(outcome.Failed, outcome.Error?.Message);
        return outcome.Value.AsJToken();
    }
}
