using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;

namespace MedTechEdge.Benchmarks.Tests;

/// <summary>
/// The committed allocation budgets, checked cheaply: bytes allocated on this thread around a few
/// hundred messages after warm-up, never a timing. A change that makes the engine allocate more per
/// message than its budget fails here, long before anyone runs the benchmarks.
/// </summary>
public sealed class AllocationBudgetTests
{
    private const int WarmUpMessages = 200;
    private const int MeasuredMessages = 400;

    public static TheoryData<string, string> Budgets
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (AllocationBudget budget in AllocationBudget.LoadAll())
            {
                data.Add(budget.Benchmark, budget.Case);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Engine_Allocates_No_More_Than_Its_Budget_Per_Message(string benchmark, string caseName)
    {
        AllocationBudget budget = AllocationBudget.LoadAll().Single(b => b.Benchmark == benchmark && b.Case == caseName);
        var engine = new EnginePipeline(BenchmarkCases.Get(caseName));
        Func<int> operation = OperationFor(engine, benchmark);

        long perMessage = MeasureBytesPerMessage(operation);

        Assert.True(
            perMessage <= budget.BudgetBytesPerMessage,
            $"{benchmark} [{caseName}] allocated {perMessage} B per message; the budget is {budget.BudgetBytesPerMessage} B "
            + "(bench/MedTechEdge.Benchmarks/allocation-budgets.json). Find the new allocation, or raise the budget in a reviewed change.");
    }

    [Fact]
    public void Every_Engine_Benchmark_Has_A_Budget()
    {
        IReadOnlyList<AllocationBudget> budgets = AllocationBudget.LoadAll();
        var expected = new List<string>();
        expected.AddRange(NormalizationBenchmarks.Cases.Select(c => "NormalizationBenchmarks.Engine/" + c));
        expected.AddRange(NormalizeTransformBenchmarks.Cases.Select(c => "NormalizeTransformBenchmarks.Engine/" + c));
        expected.AddRange(NormalizeTransformBenchmarks.Cases.Select(c => "NormalizeTransformBenchmarks.TransformOnly/" + c));

        string[] missing = [.. expected.Where(e => !budgets.Any(b => b.Benchmark + "/" + b.Case == e))];

        Assert.True(missing.Length == 0, "No allocation budget for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Budgets_Leave_Headroom_Over_What_Was_Measured()
    {
        foreach (AllocationBudget budget in AllocationBudget.LoadAll())
        {
            Assert.InRange(budget.BudgetBytesPerMessage, budget.MeasuredBytesPerMessage, (budget.MeasuredBytesPerMessage * 3 / 2) + 256);
        }
    }

    private static Func<int> OperationFor(EnginePipeline engine, string benchmark) => benchmark switch
    {
        "NormalizationBenchmarks.Engine" => engine.Normalize,
        "NormalizeTransformBenchmarks.Engine" => engine.NormalizeAndTransform,
        "NormalizeTransformBenchmarks.TransformOnly" => engine.Normalize() > 0 ? engine.Transform : throw new InvalidOperationException("The case has no measurements."),
        _ => throw new ArgumentException($"Unknown benchmark '{benchmark}' in allocation-budgets.json.", nameof(benchmark)),
    };

    private static long MeasureBytesPerMessage(Func<int> operation)
    {
        for (int i = 0; i < WarmUpMessages; i++)
        {
            operation();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < MeasuredMessages; i++)
        {
            operation();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / MeasuredMessages;
    }
}
