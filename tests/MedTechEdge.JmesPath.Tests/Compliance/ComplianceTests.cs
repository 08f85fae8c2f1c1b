using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.Compliance;

/// <summary>Every case of every file of the JMESPath compliance suite, one test case each.</summary>
public sealed class ComplianceTests
{
    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (KeyValuePair<string, IReadOnlyList<ComplianceCase>> file in ComplianceSuite.Files)
        {
            for (int i = 0; i < file.Value.Count; i++)
            {
                data.Add(file.Key, i, file.Value[i].Expression);
            }
        }

        return data;
    }

    [Fact]
    public void The_vendored_suite_has_all_fifteen_files_and_892_cases()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JMESPATH_COMPLIANCE_FILE")))
        {
            return;
        }

        Assert.Equal(15, ComplianceSuite.Files.Count);
        Assert.Equal(892, ComplianceSuite.Files.Values.Sum(cases => cases.Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compliance_case_gives_the_expected_result_or_error(string file, int index, string expression)
    {
        ComplianceCase testCase = ComplianceSuite.Get(file, index);
        Assert.Equal(testCase.Expression, expression);

        if (testCase.Error is not null)
        {
            var exception = Assert.Throws<JmesPathException>(() => JmesPathExpression.Parse(expression).Evaluate(testCase.Given));
            Assert.Equal(testCase.Error, ToSuiteErrorName(exception.ErrorKind));
            return;
        }

        JmesPathValue actual = JmesPathExpression.Parse(expression).Evaluate(testCase.Given);
        if (testCase.Result is JsonElement expected)
        {
            JsonAssert.Equal(expected, actual);
        }
    }

    private static string ToSuiteErrorName(JmesPathErrorKind kind) => kind switch
    {
        JmesPathErrorKind.Syntax => "syntax",
        JmesPathErrorKind.InvalidType => "invalid-type",
        JmesPathErrorKind.InvalidArity => "invalid-arity",
        JmesPathErrorKind.UnknownFunction => "unknown-function",
        JmesPathErrorKind.InvalidValue => "invalid-value",
        _ => kind.ToString(),
    };
}
