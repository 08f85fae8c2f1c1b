using Newtonsoft.Json;

namespace MedTechEdge.JsonPath.Tests.MedTech;

/// <summary>
/// Every place where the MedTech dialect deliberately differs from Newtonsoft.Json 13.0.3 (docs/jsonpath.md,
/// "Deliberate differences" D1–D10), with Newtonsoft's behaviour asserted next to ours so that a change on
/// either side shows up here.
/// </summary>
public sealed class MedTechDeliberateDifferenceTests
{
    [Fact]
    public void D1_Negative_Index_Is_A_Parse_Error_Where_Newtonsoft_Throws_While_Running()
    {
        DialectAssert.NewtonsoftThrowsWhileRunningButWeRejectAtParse<ArgumentOutOfRangeException>("""{"a":[1,2,3]}""", "$.a[-1]");
        DialectAssert.NewtonsoftThrowsWhileRunningButWeRejectAtParse<ArgumentOutOfRangeException>("""[[2,3],[0,2]]""", "$[?(@[-1]==2)]");
    }

    [Fact]
    public void D2_Slice_Step_Zero_Is_A_Parse_Error_Where_Newtonsoft_Throws_While_Running()
    {
        DialectAssert.NewtonsoftThrowsWhileRunningButWeRejectAtParse<JsonException>("[1,2,3]", "$[::0]");
    }

    [Fact]
    public void D3_Filters_Never_Select_The_Property_Wrappers_Newtonsoft_Returns_For_Object_Members()
    {
        NewtonsoftOracleAssert.NewtonsoftReturnsPropertyWrappers("""{"a":1,"b":2}""", "$[?(@)]", 2);
        Assert.Equal("[]", Differential.NewtonsoftOracle.RunOurs("""{"a":1,"b":2}""", "$[?(@)]").ToString());

        // With a descendant filter Json.NET returns the values and, in between, the wrappers; we return the values.
        NewtonsoftOracleAssert.NewtonsoftReturnsPropertyWrappers("""{"a":{"x":1}}""", "$..[?($.a)]", 2);
        Assert.Equal("""[{"a":{"x":1}},{"x":1},1]""", Differential.NewtonsoftOracle.RunOurs("""{"a":{"x":1}}""", "$..[?($.a)]").ToString());
    }

    [Fact]
    public void D4_An_Ordering_Comparison_Json_Net_Cannot_Convert_Is_A_Fault_Where_Json_Net_Throws()
    {
        DialectAssert.NewtonsoftThrowsAndWeFault<FormatException>(
            """{"Body":[{"heartRate":"abc"},{"heartRate":80}]}""", "$..[?(@.heartRate > 70)]", "\"abc\" > 70: Json.NET converts both to Integer");
        DialectAssert.NewtonsoftThrowsAndWeFault<FormatException>("""[{"v":5},{"v":"x"}]""", "$[?(@.v < 'x')]", "5 < \"x\"");
        DialectAssert.NewtonsoftThrowsAndWeFault<FormatException>("""[{"v":"c"},{"v":true}]""", "$[?(@.v < true)]", "to Boolean");
    }

    [Fact]
    public void D5_A_Comparison_Followed_By_Another_Operand_Is_Rejected_Where_Newtonsoft_Drops_It()
    {
        Differential.NewtonsoftOracle.Outcome theirs = Differential.NewtonsoftOracle.RunNewtonsoft("""[{"a":1},{"b":1}]""", "$[?(@.a == 2 @.b)]", out _);
        Assert.Equal("""[{"b":1}]""", theirs.ToString());
        Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse("$[?(@.a == 2 @.b)]", JsonPathDialect.MedTech));
    }

    [Fact]
    public void D6_A_Later_Bracket_Name_Must_Be_Quoted_Where_Newtonsoft_Skips_Its_First_Character()
    {
        Differential.NewtonsoftOracle.Outcome theirs = Differential.NewtonsoftOracle.RunNewtonsoft("""{"a":1,"":2}""", "$['a',b']", out _);
        Assert.Equal("[1,2]", theirs.ToString());
        Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse("$['a',b']", JsonPathDialect.MedTech));
    }

    [Fact]
    public void D7_Regex_Problems_Are_Found_At_Parse_Where_Newtonsoft_Throws_While_Running()
    {
        DialectAssert.NewtonsoftThrowsWhileRunningButWeRejectAtParse<ArgumentException>("""[{"a":"x"}]""", "$[?(@.a =~ /(/)]");
        DialectAssert.NewtonsoftThrowsWhileRunningButWeRejectAtParse<ArgumentOutOfRangeException>("""[{"a":"x"}]""", "$[?(@.a =~ 'x')]");
    }

    [Fact]
    public void D8_Integers_Beyond_Int64_Compare_As_Doubles()
    {
        // Json.NET keeps both as BigInteger and sees them differ; as doubles they are the same value.
        const string doc = """[{"a":18446744073709551616,"b":18446744073709551617}]""";
        Assert.Equal("[]", Differential.NewtonsoftOracle.RunNewtonsoft(doc, "$[?(@.a == @.b)]", out _).ToString());
        Assert.Single(Differential.NewtonsoftOracle.RunOurs(doc, "$[?(@.a == @.b)]").Nodes!);
    }

    [Fact]
    public void D9_Duplicate_Keys_Are_Kept_Where_Newtonsoft_Keeps_The_Last_Value_Only()
    {
        Differential.NewtonsoftOracle.Outcome theirs = Differential.NewtonsoftOracle.RunNewtonsoft("""{"a":1,"b":2,"a":3}""", "$.*", out _);
        Assert.Equal("[3,2]", theirs.ToString());
        Assert.Equal("[1,2,3]", Differential.NewtonsoftOracle.RunOurs("""{"a":1,"b":2,"a":3}""", "$.*").ToString());
        Assert.Equal("[3]", Differential.NewtonsoftOracle.RunOurs("""{"a":1,"b":2,"a":3}""", "$.a").ToString());
    }

    [Fact]
    public void D10_A_Lone_Dollar_After_Leading_Spaces_Selects_The_Root_Where_Newtonsoft_Crashes()
    {
        DialectAssert.NewtonsoftThrowsButWeSelect<IndexOutOfRangeException>("""{"a":1}""", "  $", """[{"a":1}]""");
    }
}
