using BenchmarkDotNet.Configs;

namespace MedTechEdge.Benchmarks;

/// <summary>Adds the messages-per-second column and the floor ratios; everything else is BenchmarkDotNet's default.</summary>
internal sealed class MappingBenchmarkConfig : ManualConfig
{
    public MappingBenchmarkConfig()
    {
        AddColumn(new MessagesPerSecondColumn());
        AddColumn(new FloorRatioColumn(
            nameof(NormalizationBenchmarks.ParseOnly),
            "Rate ÷ parse-only",
            "This row's msgs/s divided by the parse-only row's (Utf8JsonReader over the same bytes), same case, same run; issue 16 §5 asks >= 0.5 for the engine"));
        AddColumn(new FloorRatioColumn(
            nameof(NormalizeTransformBenchmarks.IdsEngine),
            "Id SHA-256 share",
            "Time of hashing this message's Observation ids alone (the engine's DeterministicId) divided by this row's time, same case, same run"));
    }
}
