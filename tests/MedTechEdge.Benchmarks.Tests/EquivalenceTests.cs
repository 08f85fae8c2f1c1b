using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Reference;
using MedTechEdge.Benchmarks.Verification;

namespace MedTechEdge.Benchmarks.Tests;

/// <summary>
/// The benchmark compares like with like: on every input the engine loads, it and the Newtonsoft
/// reference produce the same measurements, and for transform cases the same Observations.
/// </summary>
public sealed class EquivalenceTests
{
    public static TheoryData<string> NormalizationCases => [.. BenchmarkCases.Runnable(BenchmarkCases.All.Select(c => c.Name))];

    public static TheoryData<string> TransformCases => [.. BenchmarkCases.Runnable(BenchmarkCases.TransformNames)];

    [Theory]
    [MemberData(nameof(NormalizationCases))]
    public void Engine_And_Reference_Produce_The_Same_Measurements(string name)
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(name);
        var engine = new EnginePipeline(benchmarkCase);
        var reference = new ReferencePipeline(benchmarkCase);

        Assert.Equal(benchmarkCase.ExpectedMeasurements, engine.Normalize());
        reference.Normalize();

        Assert.Null(Equivalence.CompareMeasurements(engine.Measurements, reference.Measurements));
    }

    [Theory]
    [MemberData(nameof(TransformCases))]
    public void Engine_And_Reference_Write_The_Same_Observations(string name)
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(name);
        var engine = new EnginePipeline(benchmarkCase);
        var reference = new ReferencePipeline(benchmarkCase);

        Assert.Equal(benchmarkCase.ExpectedMeasurements, engine.NormalizeAndTransform());
        reference.NormalizeAndTransform();

        Assert.Null(Equivalence.CompareMeasurements(engine.Measurements, reference.Measurements));
        Assert.Null(Equivalence.CompareResources(engine.Resources, reference.Resources));
    }

    [Fact]
    public void The_Comparison_Notices_A_Different_Value()
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(SingleVitalCase.Name);
        var engine = new EnginePipeline(benchmarkCase);
        var reference = new ReferencePipeline(benchmarkCase);
        engine.Normalize();
        reference.Normalize();
        reference.Measurements[0].Properties[0] = new Mapping.Normalization.MeasurementProperty("hr", "73");

        Assert.NotNull(Equivalence.CompareMeasurements(engine.Measurements, reference.Measurements));
    }
}
