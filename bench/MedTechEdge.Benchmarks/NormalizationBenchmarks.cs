using BenchmarkDotNet.Attributes;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Reference;
using MedTechEdge.Benchmarks.Verification;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// Mapping engine, normalization only: one device message in (envelope building included, since every
/// message pays it), its measurements out. The Newtonsoft reference is the baseline of each case, in the
/// same run. One operation is one device message; see the case classes for the path each input exercises.
/// </summary>
// Public and unsealed: BenchmarkDotNet derives its generated runner from the class.
[MemoryDiagnoser]
[Config(typeof(MappingBenchmarkConfig))]
public class NormalizationBenchmarks
{
    private EnginePipeline _engine = null!;
    private ReferencePipeline _reference = null!;

    /// <summary>The input: single-vital, five-vital, iothub-envelope, iotcentral-export.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = SingleVitalCase.Name;

    /// <summary>Every case whose device mapping the engine loads; the others are reported and left out.</summary>
    public static IEnumerable<string> Cases => BenchmarkCases.Runnable(BenchmarkCases.All.Select(c => c.Name));

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(Case);
        _engine = new EnginePipeline(benchmarkCase);
        _reference = new ReferencePipeline(benchmarkCase);
        Equivalence.Check(_engine, _reference, transform: false, benchmarkCase.ExpectedMeasurements);
    }

    [Benchmark(Baseline = true, Description = "Newtonsoft reference")]
    public int Reference() => _reference.Normalize();

    [Benchmark(Description = "MedTechEdge engine")]
    public int Engine() => _engine.Normalize();
}
