using System.Text;

namespace MedTechEdge.JmesPath.Tests.Reference;

/// <summary>
/// Collects the differences of a generated run: each one is either counted under its documented category
/// (<see cref="KnownDifferences"/>) or kept as unexpected, so that one run reports every surprise at once.
/// </summary>
internal sealed class DifferenceTally
{
    private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);
    private readonly List<string> _unexpected = [];

    public bool HasUnexpected => _unexpected.Count > 0;

    /// <summary>Records one comparison; <paramref name="label"/> says where it came from in the failure report.</summary>
    public void Add(CaseResult result, string label)
    {
        if (result.Difference is null)
        {
            return;
        }

        string? category = KnownDifferences.Classify(result);
        if (category is null)
        {
            _unexpected.Add($"{label}: {result.Difference}");
        }
        else
        {
            _categories[category] = _categories.GetValueOrDefault(category) + 1;
        }
    }

    public int Count(string category) => _categories.GetValueOrDefault(category);

    public string Summary() => string.Join("; ", _categories.Select(category => $"{category.Key} × {category.Value}"));

    /// <summary>The first 40 unexpected differences; enough to see the pattern without flooding the test log.</summary>
    public string Report()
    {
        var report = new StringBuilder($"{_unexpected.Count} unexpected differences from JmesPath.Net:");
        foreach (string difference in _unexpected.Take(40))
        {
            report.AppendLine().Append("  ").Append(difference);
        }

        return report.ToString();
    }
}
