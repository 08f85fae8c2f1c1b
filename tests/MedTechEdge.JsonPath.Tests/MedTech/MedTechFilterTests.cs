namespace MedTechEdge.JsonPath.Tests.MedTech;

/// <summary>
/// The filter rules of the Json.NET dialect (research note jsonpath-dialects.md §3 probes mt1–mt51 and §4
/// "Filter expressions"), each asserted against Newtonsoft.Json 13.0.3 and against our engine.
/// </summary>
public sealed class MedTechFilterTests
{
    private const string Envelope = """{"Body":{"heartRate":"78","endDate":"2021-02-01T22:46:01.8750000Z","deviceId":"device123"},"Properties":{},"SystemProperties":{}}""";

    [Fact]
    public void Descendant_Filter_Tests_The_Start_Node_So_A_Flat_Root_Matches()
    {
        DialectAssert.BothSelect("""{"heartRate":78,"deviceId":"d1"}""", "$..[?(@heartRate)]", """[{"heartRate":78,"deviceId":"d1"}]""");
    }

    [Fact]
    public void Descendant_Filter_Matches_An_Iot_Envelope_By_A_Body_Member()
    {
        const string doc = """{"Body":{"HeartRate":70},"SystemProperties":{"iothub-connection-device-id":"d1"}}""";
        DialectAssert.BothSelect(doc, "$..[?(@Body.HeartRate)]", "[" + doc + "]");
    }

    [Fact]
    public void Descendant_Filter_Returns_Nested_Matches_In_Document_Order_Parent_First()
    {
        DialectAssert.BothSelect(
            """{"heartRate":1,"a":{"heartRate":2,"b":[{"heartRate":3}]},"c":{"heartRate":4}}""",
            "$..[?(@heartRate)]",
            """[{"heartRate":1,"a":{"heartRate":2,"b":[{"heartRate":3}]},"c":{"heartRate":4}},{"heartRate":2,"b":[{"heartRate":3}]},{"heartRate":3},{"heartRate":4}]""");
    }

    [Fact]
    public void Descendant_Filter_After_A_Member_Tests_That_Member_Too()
    {
        DialectAssert.BothSelect("""{"Body":{"v":0,"k":{"v":1}}}""", "$.Body..[?(@.v)]", """[{"v":0,"k":{"v":1}},{"v":1}]""");
    }

    [Fact]
    public void Filter_On_A_Wrapped_Event_Selects_The_Body()
    {
        DialectAssert.BothSelect(Envelope, "$..[?(@heartRate)]", """[{"heartRate":"78","endDate":"2021-02-01T22:46:01.8750000Z","deviceId":"device123"}]""");
    }

    [Fact]
    public void Existence_Is_True_For_Null_Zero_False_And_Empty_String()
    {
        DialectAssert.BothSelect(
            """[{"a":null},{"a":0},{"a":false},{"a":""},{"b":1}]""",
            "$[?(@.a)]",
            """[{"a":null},{"a":0},{"a":false},{"a":""}]""");
    }

    [Fact]
    public void Two_Existence_Tests_Joined_By_And_Need_Both_Members()
    {
        DialectAssert.BothSelect(
            """{"Body":[{"systolic":120,"diastolic":80},{"systolic":121}]}""",
            "$..[?(@systolic && @diastolic)]",
            """[{"systolic":120,"diastolic":80}]""");
    }

    [Fact]
    public void And_Or_Group_The_Json_Net_Way_So_A_And_B_Or_C_Means_A_And_B_Or_C_Grouped_Right()
    {
        DialectAssert.BothSelect("""[{"c":1},{"a":1,"b":1},{"a":1}]""", "$[?(@.a && @.b || @.c)]", """[{"a":1,"b":1}]""");
        DialectAssert.BothSelect("""[{"c":1},{"a":1,"b":1},{"b":1}]""", "$[?(@.c || @.a && @.b)]", """[{"c":1},{"a":1,"b":1}]""");
    }

    [Fact]
    public void String_Equality_Does_Not_Coerce_Numbers()
    {
        const string doc = """{"Body":[{"heartRate":"78"},{"heartRate":78}]}""";
        DialectAssert.BothSelect(doc, "$..[?(@.heartRate == 78)]", """[{"heartRate":78}]""");
        DialectAssert.BothSelect(doc, "$..[?(@.heartRate == '78')]", """[{"heartRate":"78"}]""");
    }

    [Fact]
    public void Integer_Equals_Float_With_The_Same_Value()
    {
        DialectAssert.BothSelect("""[{"v":1.0},{"v":1},{"v":1.5}]""", "$[?(@.v == 1)]", """[{"v":1.0},{"v":1}]""");
    }

    [Fact]
    public void Ordering_Converts_A_Numeric_String_To_The_Literal_Type()
    {
        DialectAssert.BothSelect("""{"Body":[{"heartRate":"78"},{"heartRate":"65"}]}""", "$..[?(@.heartRate > 70)]", """[{"heartRate":"78"}]""");
    }

    [Fact]
    public void Null_Orders_Below_Every_Value()
    {
        DialectAssert.BothSelect("""[{"v":null},{"v":3},{"w":1}]""", "$[?(@.v < 5)]", """[{"v":null},{"v":3}]""");
        DialectAssert.BothSelect("""[{"v":null},{"v":"x"},{"v":false}]""", "$[?(@.v > null)]", """[{"v":"x"},{"v":false}]""");
    }

    [Fact]
    public void Not_Equals_Is_False_When_The_Member_Is_Missing()
    {
        DialectAssert.BothSelect("""[{"v":5},{"v":3},{"w":1}]""", "$[?(@.v != 5)]", """[{"v":3}]""");
    }

    [Fact]
    public void Objects_And_Arrays_Are_Never_Equal_But_Always_Not_Equal()
    {
        DialectAssert.BothSelect("""[{"v":{}},{"v":[1]},{"v":1}]""", "$[?(@.v == @.v)]", """[{"v":1}]""");
        DialectAssert.BothSelect("""[{"v":{}},{"v":[1]},{"v":1}]""", "$[?(@.v != 1)]", """[{"v":{}},{"v":[1]}]""");
    }

    [Fact]
    public void A_Comparison_Holds_When_Any_Left_Node_Matches_Any_Right_Node()
    {
        DialectAssert.BothSelect("""[[1,2],[3,4],[5]]""", "$[?(@[*] >= 4)]", """[[3,4],[5]]""");
    }

    [Fact]
    public void Comparison_With_A_Root_Path_Uses_The_Root()
    {
        DialectAssert.BothSelect("""{"ref":1,"items":[{"a":1},{"a":2}]}""", "$..[?(@.a == $.ref)]", """[{"a":1}]""");
    }

    [Fact]
    public void Single_Quoted_String_Literals_Compare_With_Dates_Kept_As_Strings()
    {
        DialectAssert.BothSelect(
            """{"Body":[{"t":"2021-02-01T22:46:01Z"}]}""",
            "$.Body[?(@.t == '2021-02-01T22:46:01Z')]",
            """[{"t":"2021-02-01T22:46:01Z"}]""");
    }

    [Fact]
    public void Regex_Match_Is_A_Partial_Dot_Net_Match_With_Flags()
    {
        DialectAssert.BothSelect("""{"Body":[{"type":"HR"},{"type":"bp"},{"type":"xhr"}]}""", "$..[?(@.type =~ /^h.*/i)]", """[{"type":"HR"}]""");
        DialectAssert.BothSelect("""[{"n":"a hello"},{"n":"bye"}]""", "$[?(@.n =~ /hello/)]", """[{"n":"a hello"}]""");
    }

    [Fact]
    public void Regex_Flag_X_Is_Explicit_Capture_Not_Ignore_Whitespace()
    {
        DialectAssert.BothSelect("""[{"n":"a b"},{"n":"ab"}]""", "$[?(@.n =~ /a b/x)]", """[{"n":"a b"}]""");
    }

    [Fact]
    public void Triple_Equals_And_Diamond_Operators_Are_Accepted()
    {
        DialectAssert.BothSelect("""[{"v":1},{"v":2}]""", "$[?(@.v === 1)]", """[{"v":1}]""");
        DialectAssert.BothSelect("""[{"v":1},{"v":2}]""", "$[?(@.v <> 1)]", """[{"v":2}]""");
        DialectAssert.BothSelect("""[{"v":1},{"v":2}]""", "$[?(@.v !== 1)]", """[{"v":2}]""");
    }

    [Fact]
    public void A_Literal_Alone_Is_Always_True()
    {
        DialectAssert.BothSelect("[1,2]", "$[?(true)]", "[1,2]");
        DialectAssert.BothSelect("[1,2]", "$[?(false)]", "[1,2]");
    }

    [Fact]
    public void Filter_On_An_Object_Selects_None_Of_Its_Members()
    {
        DialectAssert.BothSelect("""{"Body":{"a":{"v":1},"b":{"v":2}}}""", "$.Body[?(@.v)]", "[]");
    }

    [Fact]
    public void Filter_On_A_String_Node_Compares_The_String_Itself()
    {
        DialectAssert.BothSelect(Envelope, "$..[?(@ == '78')]", """["78"]""");
    }

    [Fact]
    public void A_Number_Literal_Must_Be_Followed_By_A_Space_Or_Parenthesis()
    {
        DialectAssert.BothReject("""[{"a":1,"b":2}]""", "$[?(@.a==1&&@.b==2)]");
        DialectAssert.BothSelect("""[{"a":1,"b":2}]""", "$[?(@.a==1 && @.b==2)]", """[{"a":1,"b":2}]""");
    }

    [Fact]
    public void Double_Quotes_And_Unparenthesised_Filters_Are_Rejected()
    {
        DialectAssert.BothReject("""{"Body":[{"type":"hr"}]}""", "$..[?(@.type == \"hr\")]");
        DialectAssert.BothReject("""[{"a":1}]""", "$[?@.a]");
        DialectAssert.BothReject("""[{"a":1}]""", "$[?(!@.a)]");
        DialectAssert.BothReject("""[{"a":1}]""", "$[?(@.a && (@.b || @.c))]");
    }

    [Fact]
    public void Filter_Names_May_Contain_Operator_Free_Symbols()
    {
        DialectAssert.BothSelect("""[{"key+50":100},{"key-dash":"value"}]""", "$[?(@.key+50 == 100)]", """[{"key+50":100}]""");
        DialectAssert.BothSelect("""[{"key+50":100},{"key-dash":"value"}]""", "$[?(@.key-dash == 'value')]", """[{"key-dash":"value"}]""");
    }
}
