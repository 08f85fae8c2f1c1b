using BenchmarkDotNet.Attributes;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Floors;
using MedTechEdge.Benchmarks.Reference;
using MedTechEdge.Benchmarks.Verification;

namespace MedTechEdge.Benchmarks;

/// <summary>
/// Mapping engine, normalize + transform: one device message in, one Observation JSON per measurement
/// out (point-in-time Quantity Observations, medtech-semantics §5.2, with the SHA-256 id). Identity
/// resolution is not part of it. The Newtonsoft reference (Json.NET object tree, then serialized) is the
/// baseline of each case, in the same run. The two id rows hash exactly the bytes the engine hashes for the
/// message's Observation ids, alone: the part of the transform no implementation can skip (issue 16 §5). The
/// transform-only row writes the Observations of the message's measurements, normalized once in setup: the engine
/// row's time less normalization.
/// </summary>
// Public and unsealed: BenchmarkDotNet derives its generated runner from the class.
[MemoryDiagnoser]
[Config(typeof(MappingBenchmarkConfig))]
public class NormalizeTransformBenchmarks
{
    private EnginePipeline _engine = null!;
    private EnginePipeline _transformOnly = null!;
    private ReferencePipeline _reference = null!;
    private IdHashOnly _ids = null!;

    /// <summary>The input: single-vital (one Observation), five-vital (five, one with two components).</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = SingleVitalCase.Name;

    public static IEnumerable<string> Cases => BenchmarkCases.Runnable(BenchmarkCases.TransformNames);

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(Case);
        _engine = new EnginePipeline(benchmarkCase);
        _reference = new ReferencePipeline(benchmarkCase);
        Equivalence.Check(_engine, _reference, transform: true, benchmarkCase.ExpectedMeasurements);
        _ids = new IdHashOnly(new EnginePipeline(benchmarkCase));
        _transformOnly = new EnginePipeline(benchmarkCase);
        _transformOnly.Normalize();
    }

    [Benchmark(Baseline = true, Description = "Newtonsoft reference")]
    public int Reference() => _reference.NormalizeAndTransform();

    [Benchmark(Description = "MedTechEdge engine")]
    public int Engine() => _engine.NormalizeAndTransform();

    [Benchmark(Description = "Transform only, engine (the message normalized once)")]
    public int TransformOnly() => _transformOnly.Transform();

    [Benchmark(Description = "Ids only: SHA-256 + hex, .NET IncrementalHash")]
    public int IdsDotNet() => _ids.DotNet();

    [Benchmark(Description = "Ids only: SHA-256 + hex, engine (DeterministicId)")]
    public int IdsEngine() => _ids.Engine();
}
