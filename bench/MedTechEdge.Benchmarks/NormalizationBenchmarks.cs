using BenchmarkDotNet.Attributes;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Floors;
using MedTechEdge.Benchmarks.Reference;
using MedTechEdge.Benchmarks.Verification;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// Mapping engine, normalization only: one device message in (envelope building included, since every
/// message pays it), its measurements out. The Newtonsoft reference is the baseline of each case, in the
/// same run. One operation is one device message; see the case classes for the path each input exercises.
/// The parse-only row is the floor (issue 16 §5): a Utf8JsonReader over the same bytes, every token read. The engine
/// row is the pipeline's way (the mapping's streaming plan where it has one, the JSONPath engine otherwise); the
/// JSONPath-only row is the engine without the plan, the same-run "before" of the streaming normalizer.
/// </summary>
// Public and unsealed: BenchmarkDotNet derives its generated runner from the class.
[MemoryDiagnoser]
[Config(typeof(MappingBenchmarkConfig))]
public class NormalizationBenchmarks
{
    private EnginePipeline _engine = null!;
    private EnginePipeline _jsonPathOnly = null!;
    private ReferencePipeline _reference = null!;
    private ParseOnly _parseOnly = null!;

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
        _jsonPathOnly = new EnginePipeline(benchmarkCase, streaming: false);
        _reference = new ReferencePipeline(benchmarkCase);
        _parseOnly = new ParseOnly(benchmarkCase);
        Equivalence.Check(_engine, _reference, transform: false, benchmarkCase.ExpectedMeasurements);
        Equivalence.Check(_jsonPathOnly, _reference, transform: false, benchmarkCase.ExpectedMeasurements);
    }

    [Benchmark(Baseline = true, Description = "Newtonsoft reference")]
    public int Reference() => _reference.Normalize();

    [Benchmark(Description = "MedTechEdge engine")]
    public int Engine() => _engine.Normalize();

    [Benchmark(Description = "MedTechEdge engine, JSONPath only (no streaming plan)")]
    public int JsonPathOnly() => _jsonPathOnly.Normalize();

    [Benchmark(Description = "Parse only (Utf8JsonReader, floor)")]
    public int ParseOnly() => _parseOnly.Read();
}
