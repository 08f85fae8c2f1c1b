using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests.Compliance;

/// <summary>
/// Loads the vendored JMESPath compliance suite from tests/conformance/jmespath (copied from
/// ../shared/conformance/jmespath). Set JMESPATH_COMPLIANCE_FILE=slice.json to run one file only.
/// </summary>
internal static class ComplianceSuite
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<ComplianceCase>>> s_files = new(Load);

    public static string Directory => Path.Combine(RepositoryRoot.Find(), "tests", "conformance", "jmespath");

    public static IReadOnlyDictionary<string, IReadOnlyList<ComplianceCase>> Files => s_files.Value;

    public static ComplianceCase Get(string file, int index) => Files[file][index];

    private static Dictionary<string, IReadOnlyList<ComplianceCase>> Load()
    {
        string? only = Environment.GetEnvironmentVariable("JMESPATH_COMPLIANCE_FILE");
        var files = new Dictionary<string, IReadOnlyList<ComplianceCase>>(StringComparer.Ordinal);
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (!string.IsNullOrEmpty(only) && !string.Equals(only, name, StringComparison.Ordinal))
            {
                continue;
            }

            files[name] = ReadFile(path);
        }

        return files;
    }

    private static List<ComplianceCase> ReadFile(string path)
    {
        // The documents stay open for the life of the test run; the cases hold elements that point into them.
        JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<ComplianceCase>();
        foreach (JsonElement suite in document.RootElement.EnumerateArray())
        {
            JsonElement given = suite.GetProperty("given");
            foreach (JsonElement testCase in suite.GetProperty("cases").EnumerateArray())
            {
                cases.Add(new ComplianceCase(
                    testCase.GetProperty("expression").GetString()!,
                    given,
                    testCase.TryGetProperty("result", out JsonElement result) ? result : null,
                    testCase.TryGetProperty("error", out JsonElement error) ? error.GetString() : null,
                    testCase.TryGetProperty("bench", out JsonElement bench) ? bench.GetString() : null));
            }
        }

        return cases;
    }
}

/// <summary>One case: exactly one of <see cref="Result"/>, <see cref="Error"/> or <see cref="Bench"/> says what to check.</summary>
internal sealed record ComplianceCase(string Expression, JsonElement Given, JsonElement? Result, string? Error, string? Bench);
