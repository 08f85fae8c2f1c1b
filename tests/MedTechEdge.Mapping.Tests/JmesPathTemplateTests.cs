using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Tests;

public sealed class JmesPathTemplateTests
{
    private static DeviceMapping Mapping(string template) => DeviceMapping.Load(
        $$"""{"templateType":"CollectionContent","template":[{"templateType":"CalculatedContent","template":{{template}}}]}""");

    [Fact]
    public void Default_Language_JmesPath_With_Custom_Functions_Projects_Computed_Values()
    {
        DeviceMapping mapping = Mapping("""
            {"typeName":"height","defaultExpressionLanguage":"JmesPath",
             "typeMatchExpression":"Body[?height]",
             "deviceIdExpression":"matchedToken.device",
             "timestampExpression":"fromUnixTimestamp(matchedToken.ts)",
             "patientIdExpression":"insertString('123', 'patient', `0`)",
             "values":[{"valueName":"meters","valueExpression":"multiply(to_number(matchedToken.height), `0.0254`)","required":true}]}
            """);

        List<Measurement> measurements = MappingFixtures.Normalize(mapping, """[{"device":"d1","ts":1700000000,"height":"78"},{"device":"d2","ts":1700000060}]""");

        Measurement m = Assert.Single(measurements);
        Assert.Equal("d1", m.DeviceId);
        Assert.Equal("patient123", m.PatientId);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), m.OccurrenceTimeUtc);
        Assert.Equal("1.9812", m.Properties[0].Value);
    }

    [Fact]
    public void Expression_Objects_Mix_Languages_Per_Field()
    {
        DeviceMapping mapping = Mapping("""
            {"typeName":"hr",
             "typeMatchExpression":{"value":"to_array(Body)[?heartrate]","language":"JmesPath"},
             "deviceIdExpression":"$.matchedToken.id",
             "timestampExpression":"$.matchedToken.t",
             "values":[{"valueName":"hr","valueExpression":{"value":"matchedToken.heartrate","language":"JmesPath"}}]}
            """);

        Measurement m = Assert.Single(MappingFixtures.Normalize(mapping, """{"id":"x","t":"2026-01-01T00:00:00Z","heartrate":64}"""));
        Assert.Equal("x", m.DeviceId);
        Assert.Equal("64", m.Properties[0].Value);
    }

    [Fact]
    public void A_Non_Projection_Array_Is_One_Match()
    {
        DeviceMapping mapping = Mapping("""
            {"typeName":"all","defaultExpressionLanguage":"JmesPath","typeMatchExpression":"Body",
             "deviceIdExpression":"'fixed'","timestampExpression":"'2026-01-01T00:00:00Z'","values":[{"valueName":"n","valueExpression":"length(matchedToken)"}]}
            """);

        Measurement m = Assert.Single(MappingFixtures.Normalize(mapping, """[1,2,3]"""));
        Assert.Equal("3", m.Properties[0].Value);
    }

    [Fact]
    public void Multiple_Tokens_For_A_Single_Value_Is_An_Error()
    {
        DeviceMapping mapping = Mapping("""
            {"typeName":"t","defaultExpressionLanguage":"JmesPath","typeMatchExpression":"Body",
             "deviceIdExpression":"matchedToken.ids[*]","timestampExpression":"'2026-01-01T00:00:00Z'","values":[]}
            """);
        using JsonDocument envelope = MappingFixtures.Envelope("""{"ids":["a","b"]}""");

        string? error = MappingFixtures.NormalizeBothWays(mapping, envelope, []);

        Assert.True(error?.Contains("Multiple tokens were returned", StringComparison.Ordinal), error ?? "no error");
    }

    [Fact]
    public void Run_Time_Type_Error_Fails_Only_That_Message()
    {
        DeviceMapping mapping = Mapping("""
            {"typeName":"t","defaultExpressionLanguage":"JmesPath","typeMatchExpression":"Body",
             "deviceIdExpression":"'d'","timestampExpression":"'2026-01-01T00:00:00Z'",
             "values":[{"valueName":"v","valueExpression":"add(matchedToken.v, `1`)","required":true}]}
            """);
        using JsonDocument bad = MappingFixtures.Envelope("""{"v":"text"}""");

        Assert.Contains("invalid-type", MappingFixtures.NormalizeBothWays(mapping, bad, []), StringComparison.Ordinal);
        Assert.Equal("3", Assert.Single(MappingFixtures.Normalize(mapping, """{"v":2}""")).Properties[0].Value);
    }

    [Fact]
    public void JmesPath_Syntax_And_Arity_Errors_Are_Load_Errors()
    {
        const string json = """
            {"templateType":"CollectionContent","template":[{"templateType":"CalculatedContent","template":{
              "typeName":"t","defaultExpressionLanguage":"JmesPath","typeMatchExpression":"Body[?",
              "deviceIdExpression":"add(`1`)","timestampExpression":"t"}}]}
            """;

        Assert.False(DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("The following JmesPath expression could not be parsed", e.Message, StringComparison.Ordinal));
        Assert.Equal([2, 3], errors.Select(e => e.Line).Order());
    }
}
