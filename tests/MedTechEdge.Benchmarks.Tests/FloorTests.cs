using System.Text.Json;
using MedTechEdge.Benchmarks.Cases;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Benchmarks.Floors;

namespace MedTechEdge.Benchmarks.Tests;

/// <summary>
/// The floor rows measure what they claim: the parse-only row reads every token of exactly the bytes normalization
/// gets, and the id rows hash exactly the bytes of the message's Observation ids.
/// </summary>
public sealed class FloorTests
{
    [Theory]
    [MemberData(nameof(EquivalenceTests.NormalizationCases), MemberType = typeof(EquivalenceTests))]
    public void Parse_Only_Reads_Every_Token_Of_The_Body_And_Both_Property_Objects(string name)
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(name);

        int expected = Tokens(benchmarkCase.Body) + Tokens(benchmarkCase.PropertiesUtf8) + Tokens(benchmarkCase.SystemPropertiesUtf8);

        Assert.Equal(expected, new ParseOnly(benchmarkCase).Read());
    }

    [Theory]
    [MemberData(nameof(EquivalenceTests.TransformCases), MemberType = typeof(EquivalenceTests))]
    public void Id_Rows_Hash_One_Id_Per_Observation_Of_The_Message(string name)
    {
        BenchmarkCase benchmarkCase = BenchmarkCases.Get(name);
        var ids = new IdHashOnly(new EnginePipeline(benchmarkCase));

        // 64 hex digits per Observation, by either hasher; the constructor already checked the bytes against the ids.
        Assert.Equal(64 * benchmarkCase.ExpectedMeasurements, ids.DotNet());
        Assert.Equal(64 * benchmarkCase.ExpectedMeasurements, ids.Engine());
        Assert.True(ids.Bytes > 100 * benchmarkCase.ExpectedMeasurements);
    }

    // Every value, and every property name and bracket, counted from the tree rather than a reader.
    private static int Tokens(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Count(document.RootElement);
    }

    private static int Count(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 2 + element.EnumerateObject().Sum(p => 1 + Count(p.Value)),
        JsonValueKind.Array => 2 + element.EnumerateArray().Sum(Count),
        _ => 1,
    };
}
