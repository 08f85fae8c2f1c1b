using MedTechEdge.JsonPath.Tests.Differential;

namespace MedTechEdge.JsonPath.Tests.Rfc9535;

/// <summary>
/// The MedTech probes of the research note (jsonpath-dialects.md §3) written in RFC 9535 syntax, with the
/// RFC results the note records (json-p3 2.3.1). They show where the two dialects part.
/// </summary>
public sealed class Rfc9535DialectTests
{
    [Theory]
    [InlineData("mt2", """{"heartRate":78,"deviceId":"d1"}""", "$..[?@.heartRate]", "[]")]
    [InlineData("mt4", """{"Body":[{"heartRate":70,"t":1},{"spo2":99,"t":3}]}""", "$..[?@.heartRate]", """[{"heartRate":70,"t":1}]""")]
    [InlineData("mt13", """{"Body":[{"heartRate":"78"},{"heartRate":"65"}]}""", "$..[?@.heartRate > 70]", "[]")]
    [InlineData("mt14", """{"Body":[{"heartRate":"abc"},{"heartRate":80}]}""", "$..[?@.heartRate > 70]", """[{"heartRate":80}]""")]
    [InlineData("mt17", """[{"v":1.0},{"v":1}]""", "$[?@.v == 1]", """[{"v":1.0},{"v":1}]""")]
    [InlineData("mt18", """[{"v":null},{"v":3},{"w":1}]""", "$[?@.v < 5]", """[{"v":3}]""")]
    [InlineData("mt19", """[{"v":5},{"v":3},{"w":1}]""", "$[?@.v != 5]", """[{"v":3},{"w":1}]""")]
    [InlineData("mt20", """{"Body":{"a":{"v":1},"b":{"v":2}}}""", "$.Body[?@.v]", """[{"v":1},{"v":2}]""")]
    [InlineData("mt22", """{"Body":{"v":0,"k":{"v":1}}}""", "$.Body..[?@.v]", """[{"v":1}]""")]
    [InlineData("mt23", """{"a":[1,2,3]}""", "$.a[-1]", "[3]")]
    [InlineData("mt24", """{"a":[1,2,3]}""", "$.a.*", "[1,2,3]")]
    [InlineData("mt25", """{"a":{"x":1,"y":2}}""", "$.a[*]", "[1,2]")]
    [InlineData("mt26", """{"a":[1,2],"b":{"c":[3,4]}}""", "$..[0]", "[1,3]")]
    [InlineData("mt27", """{"Body":{"heartRate":1}}""", """$["Body"]["heartRate"]""", "[1]")]
    [InlineData("mt31", """[{"c":1},{"a":1,"b":1},{"a":1}]""", "$[?@.a && @.b || @.c]", """[{"c":1},{"a":1,"b":1}]""")]
    [InlineData("mt36", """{"a":{"b":1}}""", "$..*", """[{"b":1},1]""")]
    [InlineData("mt42", "[1,2,3]", "$[::0]", "[]")]
    [InlineData("mt45", """{"a":{"b":1,"a":2},"b":3}""", "$..['a','b']", """[{"b":1,"a":2},3,2,1]""")]
    public void Rfc9535_Dialect_Gives_The_Standard_Result_For_The_MedTech_Probe(string probe, string document, string path, string expected)
    {
        Assert.NotEmpty(probe);
        NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(document, path, JsonPathDialect.Rfc9535);
        Assert.Equal(MedTech.DialectAssert.Canonical(expected), ours.ToString());
    }

    [Theory]
    [InlineData("$..[?(@heartRate)]")]
    [InlineData("$.SystemProperties.iothub-connection-device-id")]
    [InlineData("$[?(@.a==1&&@.b==2)] ")]
    [InlineData("$[?(true)]")]
    [InlineData("Body.heartRate")]
    [InlineData("")]
    public void MedTech_Only_Syntax_Is_Rejected_By_The_Rfc9535_Dialect(string path)
    {
        Assert.Throws<JsonPathException>(() => JsonPathExpression.Parse(path, JsonPathDialect.Rfc9535));
    }
}
