using System.Text.Json;

namespace MedTechEdge.JsonPath.Tests.Conformance;

/// <summary>
/// Every case of the RFC 9535 compliance test suite, one theory case each, named after the suite's case.
/// Run one: <c>MEDTECHEDGE_CTS_CASE="filter, equals string" dotnet test tests/MedTechEdge.JsonPath.Tests</c>.
/// </summary>
public sealed class Rfc9535ComplianceTests
{
    public static IEnumerable<object[]> CaseNames() => CtsSuite.Names();

    [Fact]
    public void The_Vendored_Suite_Has_All_703_Cases_With_Unique_Names()
    {
        Assert.Equal(703, CtsSuite.All.Count);
        Assert.Equal(703, CtsSuite.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(247, CtsSuite.All.Count(c => c.InvalidSelector));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rfc9535_Dialect_Passes_The_Compliance_Case(string name)
    {
        CtsCase test = CtsSuite.Get(name);
        bool parsed = JsonPathExpression.TryParse(test.Selector, JsonPathDialect.Rfc9535, out JsonPathExpression? expression, out JsonPathException? error);
        if (test.InvalidSelector)
        {
            Assert.False(parsed, "an invalid selector was accepted");
            Assert.InRange(error!.Position, 0, test.Selector.Length);
            return;
        }

        Assert.True(parsed, error?.Message);
        var output = new List<JsonElement>();
        expression!.Select(test.Document!.Value, output);
        string actual = JsonSerializer.Serialize(output);
        if (test.Result is { } result)
        {
            Assert.True(SameNodes(result, output), $"expected {result.GetRawText()}, got {actual}");
            return;
        }

        bool any = false;
        foreach (JsonElement alternative in test.Results!.Value.EnumerateArray())
        {
            any |= SameNodes(alternative, output);
        }

        Assert.True(any, $"expected one of {test.Results.Value.GetRawText()}, got {actual}");
    }

    private static bool SameNodes(JsonElement expected, List<JsonElement> actual)
    {
        if (expected.GetArrayLength() != actual.Count)
        {
            return false;
        }

        int i = 0;
        foreach (JsonElement node in expected.EnumerateArray())
        {
            if (!JsonElement.DeepEquals(node, actual[i++]))
            {
                return false;
            }
        }

        return true;
    }
}
