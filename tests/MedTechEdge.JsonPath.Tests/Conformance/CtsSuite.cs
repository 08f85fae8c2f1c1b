using System.Text.Json;

namespace MedTechEdge.JsonPath.Tests.Conformance;

/// <summary>One case of the RFC 9535 compliance test suite (tests/conformance/jsonpath/cts.json).</summary>
internal sealed record CtsCase(string Name, string Selector, JsonElement? Document, JsonElement? Result, JsonElement? Results, bool InvalidSelector);

/// <summary>Loads the vendored suite once. <c>MEDTECHEDGE_CTS_CASE</c> narrows the theory to names containing its value.</summary>
internal static class CtsSuite
{
    public const string FilterVariable = "MEDTECHEDGE_CTS_CASE";

    private static readonly Lazy<IReadOnlyList<CtsCase>> s_cases = new(Load);

    public static IReadOnlyList<CtsCase> All => s_cases.Value;

    public static CtsCase Get(string name)
    {
        foreach (CtsCase c in All)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        throw new KeyNotFoundException(name);
    }

    public static IEnumerable<object[]> Names()
    {
        string? filter = Environment.GetEnvironmentVariable(FilterVariable);
        foreach (CtsCase c in All)
        {
            if (string.IsNullOrEmpty(filter) || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                yield return [c.Name];
            }
        }
    }

    private static IReadOnlyList<CtsCase> Load()
    {
        string path = RepositoryPaths.Combine("tests", "conformance", "jsonpath", "cts.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<CtsCase>();
        foreach (JsonElement test in document.RootElement.GetProperty("tests").EnumerateArray())
        {
            cases.Add(new CtsCase(
                test.GetProperty("name").GetString()!,
                test.GetProperty("selector").GetString()!,
                Optional(test, "document"),
                Optional(test, "result"),
                Optional(test, "results"),
                test.TryGetProperty("invalid_selector", out JsonElement invalid) && invalid.GetBoolean()));
        }

        return cases;
    }

    private static JsonElement? Optional(JsonElement test, string name)
        => test.TryGetProperty(name, out JsonElement value) ? value.Clone() : null;
}
