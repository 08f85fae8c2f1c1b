using System.Text;
using MedTechEdge.JsonPath.Tests.Differential;

namespace MedTechEdge.JsonPath.Tests.MedTech;

/// <summary>
/// Which filter comparisons make Json.NET 13.0.3's <c>SelectTokens</c> throw, found by running every pair of value
/// types through every operator with Newtonsoft as the referee, and pinned: our evaluation reports a fault for
/// exactly those, and agrees with Newtonsoft's nodes for all the others (docs/jsonpath.md, D4).
/// </summary>
public sealed class MedTechComparisonFaultTests
{
    // Every Json.NET value type a device message has, with the strings that do and do not convert.
    private static readonly string[] s_values =
    [
        "\"abc\"", "\"78\"", "\"7.5\"", "\"true\"", "\"\"", "\"99999999999999999999\"", "78", "7.5", "0", "true", "false", "null", "{}", "[]",
    ];

    private static readonly string[] s_literals = ["'abc'", "'78'", "'7.5'", "'true'", "70", "7.5", "true", "false", "null"];

    private static readonly string[] s_operators = ["==", "!=", "<", "<=", ">", ">=", "=~"];

    [Fact]
    public void Every_Comparison_Faults_Exactly_Where_Newtonsoft_Throws()
    {
        var disagreements = new StringBuilder();
        int faults = 0, compared = 0;
        foreach (string value in s_values)
        {
            foreach (string op in s_operators)
            {
                foreach (string literal in s_literals)
                {
                    string right = op == "=~" ? "/a.c/" : literal;
                    string document = "[{\"v\":" + value + "}]";
                    string path = "$[?(@.v " + op + " " + right + ")]";
                    NewtonsoftOracle.Outcome theirs = NewtonsoftOracle.RunNewtonsoft(document, path, out Exception? exception);
                    NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(document, path);
                    bool throws = NewtonsoftOracle.IsConversionFailure(exception);
                    compared++;
                    if (throws && ours.Faulted)
                    {
                        faults++;
                    }
                    else if (throws != ours.Faulted || !NewtonsoftOracle.Agree(ours, theirs))
                    {
                        disagreements.Append(path).Append(" on ").Append(document).Append(": ours ").Append(ours).Append(", newtonsoft ").Append(theirs).Append('\n');
                    }
                }
            }
        }

        Assert.True(disagreements.Length == 0, disagreements.ToString());
        // Equality and regex never throw; only the ordering operators with an unconvertible operand do.
        Assert.InRange(faults, 20, compared / 2);
    }

    [Theory]
    [InlineData("\"abc\"", "> 70", "Integer")]
    [InlineData("\"7.5\"", "> 70", "Integer")]
    [InlineData("\"99999999999999999999\"", "< 1", "Integer")]
    [InlineData("78", "< 'abc'", "Integer")]
    [InlineData("7.5", ">= 'x'", "Float")]
    [InlineData("\"abc\"", "> 7.5", "Float")]
    [InlineData("true", "> 'abc'", "Boolean")]
    [InlineData("\"1\"", "<= true", "Boolean")]
    public void An_Unconvertible_Ordering_Faults_And_Names_The_Type_It_Was_Compared_As(string value, string comparison, string type)
    {
        string document = "[{\"v\":" + value + "}]";
        string path = "$[?(@.v " + comparison + ")]";

        NewtonsoftOracle.RunNewtonsoft(document, path, out Exception? exception);
        NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(document, path);

        Assert.True(NewtonsoftOracle.IsConversionFailure(exception), $"Newtonsoft: {exception?.GetType().Name ?? "no exception"}");
        Assert.Equal(type, ours.Fault?.ComparedAs);
    }

    [Fact]
    public void A_Comparison_Json_Net_Never_Reaches_Does_Not_Fault()
    {
        // && stops at the first false part and || at the first true one, as in Json.NET; a match found earlier in the
        // left operand's nodes ends the search too.
        const string Document = """[{"a":2,"v":"abc"}]""";
        foreach (string path in (string[])["$[?(@.a == 1 && @.v > 70)]", "$[?(@.a == 2 || @.v > 70)]"])
        {
            NewtonsoftOracle.Outcome theirs = NewtonsoftOracle.RunNewtonsoft(Document, path, out Exception? exception);
            NewtonsoftOracle.Outcome ours = NewtonsoftOracle.RunOurs(Document, path);
            Assert.Null(exception);
            Assert.False(ours.Faulted, path);
            Assert.True(NewtonsoftOracle.Agree(ours, theirs), $"{path}: ours {ours}, newtonsoft {theirs}");
        }
    }
}
