using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedTechEdge.Benchmarks.Tests;

/// <summary>One entry of bench/MedTechEdge.Benchmarks/allocation-budgets.json.</summary>
public sealed class AllocationBudget
{
    /// <summary><c>Class.Method</c> of the benchmark, e.g. <c>NormalizationBenchmarks.Engine</c>.</summary>
    [JsonPropertyName("benchmark")]
    public required string Benchmark { get; init; }

    /// <summary>The <c>Case</c> parameter.</summary>
    [JsonPropertyName("case")]
    public required string Case { get; init; }

    /// <summary>What BenchmarkDotNet's MemoryDiagnoser reported when the budget was set (for the reader).</summary>
    [JsonPropertyName("measuredBytesPerMessage")]
    public long MeasuredBytesPerMessage { get; init; }

    /// <summary>The ceiling the test enforces.</summary>
    [JsonPropertyName("budgetBytesPerMessage")]
    public required long BudgetBytesPerMessage { get; init; }

    public static IReadOnlyList<AllocationBudget> LoadAll()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "allocation-budgets.json");
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.GetProperty("budgets").Deserialize<List<AllocationBudget>>()
            ?? throw new InvalidDataException("allocation-budgets.json has no budgets.");
    }
}
