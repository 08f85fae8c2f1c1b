namespace MedTechEdge.JsonPath.Tests.MedTech;

/// <summary>
/// Path syntax and selection rules of the Json.NET dialect (research note §4 "Path syntax" and "Evaluation"),
/// each asserted against Newtonsoft.Json 13.0.3 and against our engine.
/// </summary>
public sealed class MedTechPathSyntaxTests
{
    [Fact]
    public void Hyphens_Are_Allowed_In_Dot_Names()
    {
        DialectAssert.BothSelect(
            """{"SystemProperties":{"iothub-connection-device-id":"device123"}}""",
            "$.SystemProperties.iothub-connection-device-id",
            """["device123"]""");
    }

    [Fact]
    public void Dot_Before_A_Bracket_Is_Ignored()
    {
        DialectAssert.BothSelect("""{"My Property":1}""", "$.['My Property']", "[1]");
    }

    [Fact]
    public void Single_Quoted_Bracket_Names_Select_Members_With_Spaces()
    {
        DialectAssert.BothSelect("""{"Body":{"heartRate":1},"device id":"d1"}""", "$['Body']['heartRate']", "[1]");
        DialectAssert.BothSelect("""{"device id":"d1"}""", "$['device id']", """["d1"]""");
    }

    [Fact]
    public void Double_Quoted_Bracket_Names_Are_Rejected()
    {
        DialectAssert.BothReject("""{"Body":{"heartRate":1}}""", "$[\"Body\"]");
    }

    [Fact]
    public void Dollar_Is_Optional_And_Only_The_Root_Before_A_Dot_Or_Bracket()
    {
        DialectAssert.BothSelect("""{"Body":{"heartRate":1}}""", "Body.heartRate", "[1]");
        DialectAssert.BothSelect("""{"$Body":1,"Body":2}""", "$Body", "[1]");
        DialectAssert.BothSelect("""{"a":1}""", "$", """[{"a":1}]""");
        DialectAssert.BothSelect("""{"a":1}""", "", """[{"a":1}]""");
    }

    [Fact]
    public void Dot_Names_Are_Raw_Including_Quotes_And_Digits()
    {
        DialectAssert.BothSelect("""{"'key'":42,"2":"two"}""", "$.'key'", "[42]");
        DialectAssert.BothSelect("""{"'key'":42,"2":"two"}""", "$.2", """["two"]""");
    }

    [Fact]
    public void Dot_Star_Enumerates_Objects_Only_And_Bracket_Star_Arrays_Only()
    {
        DialectAssert.BothSelect("""{"a":[1,2,3]}""", "$.a.*", "[]");
        DialectAssert.BothSelect("""{"a":{"x":1,"y":2}}""", "$.a[*]", "[]");
        DialectAssert.BothSelect("""{"a":{"x":1,"y":2}}""", "$.a.*", "[1,2]");
        DialectAssert.BothSelect("""{"a":[1,2,3]}""", "$.a[*]", "[1,2,3]");
    }

    [Fact]
    public void Index_Slice_And_Star_After_Double_Dot_Lose_The_Descent()
    {
        DialectAssert.BothSelect("""{"a":[1,2],"b":{"c":[3,4]}}""", "$..[0]", "[]");
        DialectAssert.BothSelect("""[[1],[2,3]]""", "$..[1]", "[[2,3]]");
        DialectAssert.BothSelect("""[[1],[2,3]]""", "$..[*]", "[[1],[2,3]]");
    }

    [Fact]
    public void Double_Dot_Star_Includes_The_Start_Node()
    {
        DialectAssert.BothSelect("""{"a":{"b":1}}""", "$..*", """[{"a":{"b":1}},{"b":1},1]""");
    }

    [Fact]
    public void Double_Dot_Name_Comes_In_Document_Order()
    {
        DialectAssert.BothSelect(
            """{"heartRate":1,"a":{"heartRate":2,"b":[{"heartRate":3}]},"c":{"heartRate":4}}""",
            "$..heartRate",
            "[1,2,3,4]");
    }

    [Fact]
    public void Double_Dot_With_Several_Names_Comes_In_Document_Order_Not_Per_Name()
    {
        DialectAssert.BothSelect("""{"a":{"b":1,"a":2},"b":3}""", "$..['a','b']", """[{"b":1,"a":2},1,2,3]""");
    }

    [Fact]
    public void Three_Dots_Mean_Two()
    {
        DialectAssert.BothSelect("""{"o":{"key":"v"},"key":"top"}""", "$...key", """["v","top"]""");
    }

    [Fact]
    public void Unions_Of_Names_And_Of_Indices_Keep_The_Written_Order()
    {
        DialectAssert.BothSelect("""{"a":1,"b":2}""", "$['b','a']", "[2,1]");
        DialectAssert.BothSelect("[1,2,3]", "$[2,0]", "[3,1]");
    }

    [Fact]
    public void A_Slice_Inside_An_Index_List_Is_Read_As_Its_Last_Number()
    {
        DialectAssert.BothSelect("[0,1,2,3,4,5,6,7,8]", "$[1,5:7]", "[1,7]");
    }

    [Fact]
    public void Slices_Follow_Python_Rules_With_Negative_Bounds_And_Steps()
    {
        DialectAssert.BothSelect("[1,2,3]", "$[::-1]", "[3,2,1]");
        DialectAssert.BothSelect("[1,2,3,4,5]", "$[-2:]", "[4,5]");
        DialectAssert.BothSelect("[1,2,3,4,5]", "$[1:4:2]", "[2,4]");
        DialectAssert.BothSelect("[1,2,3,4,5]", "$[-10:2]", "[1,2]");
    }

    [Fact]
    public void Index_Beyond_The_End_Selects_Nothing()
    {
        DialectAssert.BothSelect("[1,2,3]", "$[3]", "[]");
        DialectAssert.BothSelect("""{"a":1}""", "$[0]", "[]");
    }

    [Fact]
    public void Parentheses_Work_As_Brackets_After_A_Name()
    {
        DialectAssert.BothSelect("""{"a":[5,6]}""", "$.a(1)", "[6]");
    }

    [Fact]
    public void Spaces_Inside_Brackets_Are_Allowed_But_Not_Between_Segments()
    {
        DialectAssert.BothSelect("[1,2,3]", "$[ 1 , 2 ]", "[2,3]");
        DialectAssert.BothSelect("""{"a":1}""", "$.a  ", "[1]");
        DialectAssert.BothReject("""{"a":{"b":1}}""", "$.a .b");
    }

    [Fact]
    public void Bracket_Names_Accept_Json_Net_Escapes_Only()
    {
        DialectAssert.BothSelect("""{"a'b":1,"c\\d":2}""", @"$['a\'b']", "[1]");
        DialectAssert.BothSelect("""{"a'b":1,"c\\d":2}""", @"$['c\\d']", "[2]");
        DialectAssert.BothReject("""{"a":1}""", @"$['\u0061']");
    }

    [Fact]
    public void Unions_Mixing_Kinds_And_Unclosed_Paths_Are_Rejected()
    {
        DialectAssert.BothReject("""{"a":1}""", "$['a',1]");
        DialectAssert.BothReject("""{"a":1}""", "$.");
        DialectAssert.BothReject("""{"a":1}""", "$..");
        DialectAssert.BothReject("""{"a":1}""", "$['a'");
        DialectAssert.BothReject("[1]", "$[]");
        DialectAssert.BothReject("[1]", "$[1 2]");
        DialectAssert.BothReject("""{"a":1}""", "$['a']b");
    }

    [Fact]
    public void Indices_Beyond_Int32_Are_Rejected()
    {
        DialectAssert.BothReject("[1]", "$[2147483648]");
    }
}
