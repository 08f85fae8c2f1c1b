using BenchmarkDotNet.Configs;

namespace MedTechEdge.Benchmarks;

/// <summary>Adds the messages-per-second column; everything else is BenchmarkDotNet's default.</summary>
internal sealed class MappingBenchmarkConfig : ManualConfig
{
    public MappingBenchmarkConfig()
    {
        AddColumn(new MessagesPerSecondColumn());
    }
}
