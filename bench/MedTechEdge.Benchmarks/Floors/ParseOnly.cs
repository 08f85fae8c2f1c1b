using System.Text.Json;
using MedTechEdge.Benchmarks.Cases;

namespace MedTechEdge.Benchmarks.Floors;

/// <summary>
/// The physical floor of any JSON normalizer: a <see cref="Utf8JsonReader"/> over exactly the bytes normalization
/// gets (the body and the two property objects), reading every token and nothing more. No tree, no strings, no
/// projection: what remains of normalization if everything but tokenizing cost nothing.
/// </summary>
internal sealed class ParseOnly
{
    private readonly byte[] _body;
    private readonly byte[] _properties;
    private readonly byte[] _systemProperties;

    public ParseOnly(BenchmarkCase benchmarkCase)
    {
        _body = benchmarkCase.Body;
        _properties = benchmarkCase.PropertiesUtf8;
        _systemProperties = benchmarkCase.SystemPropertiesUtf8;
    }

    /// <summary>Reads the three objects token by token; returns the number of tokens (so nothing is optimized away).</summary>
    public int Read() => Tokens(_body) + Tokens(_properties) + Tokens(_systemProperties);

    private static int Tokens(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
