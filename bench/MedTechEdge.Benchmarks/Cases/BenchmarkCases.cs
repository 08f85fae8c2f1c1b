using MedTechEdge.Mapping;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>The catalogue of inputs, by name (the BenchmarkDotNet parameter values).</summary>
internal static class BenchmarkCases
{
    /// <summary>Every normalization case, in table order.</summary>
    public static IReadOnlyList<BenchmarkCase> All { get; } =
        [SingleVitalCase.Create(), FiveVitalCase.Create(), IotHubCase.Create(), IotCentralCase.Create()];

    /// <summary>The cases also measured with the FHIR transform.</summary>
    public static IReadOnlyList<string> TransformNames { get; } = [SingleVitalCase.Name, FiveVitalCase.Name];

    public static BenchmarkCase Get(string name)
    {
        foreach (BenchmarkCase c in All)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        throw new ArgumentException($"No benchmark case '{name}'.", nameof(name));
    }

    /// <summary>
    /// True when the engine loads the case's device mapping. A template type the engine does not
    /// support yet keeps the case out of the run instead of measuring something else.
    /// </summary>
    public static bool EngineSupports(BenchmarkCase benchmarkCase, out string? reason)
    {
        if (DeviceMapping.TryLoad(benchmarkCase.DeviceMappingJson, out _, out var errors))
        {
            reason = null;
            return true;
        }

        reason = string.Join("; ", errors.Select(e => e.Message));
        return false;
    }

    /// <summary>The names whose mapping the engine loads; the rest are reported on stderr and left out.</summary>
    public static IEnumerable<string> Runnable(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (EngineSupports(Get(name), out string? reason))
            {
                yield return name;
            }
            else
            {
                Console.Error.WriteLine($"Benchmark case '{name}' left out: the engine does not load its mapping yet ({reason}).");
            }
        }
    }
}
