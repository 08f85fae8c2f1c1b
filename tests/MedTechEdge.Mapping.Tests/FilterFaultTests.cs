using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// A filter comparison Json.NET cannot convert fails the message, as in the managed service, where SelectTokens threw
/// and the normalization failed (docs/medtech-semantics.md §2.5; docs/jsonpath.md D4).
/// </summary>
public sealed class FilterFaultTests
{
    // A flag the firmware sends as a boolean on some devices and as a string on others.
    private const string Mapping = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"CalculatedContent","template":{
            "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate && @valid > false)]",
            "deviceIdExpression":"$.matchedToken.deviceId","patientIdExpression":"$.matchedToken.patientId",
            "timestampExpression":"$.matchedToken.time",
            "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate","required":true},
                      {"valueName":"quality","valueExpression":"$.Body.readings[?(@.q > 0)].q","required":false}]}}]}
        """;

    [Fact]
    public void A_Type_Match_Comparing_A_String_With_A_Boolean_Fails_The_Message_Naming_Template_And_Expression()
    {
        DeviceMapping mapping = DeviceMapping.Load(Mapping);
        var output = new List<Measurement>();
        byte[] body = """{"deviceId":"d1","patientId":"p1","time":"2026-11-21T10:00:00Z","heartRate":70,"valid":"yes"}"""u8.ToArray();
        Assert.True(DeviceEnvelope.TryCreate(body, "{}", "{}", out DeviceEnvelope? envelope, out string? error), error);
        MappingError? failure;
        using (envelope)
        {
            failure = mapping.Normalize(envelope!, null, output);
        }

        Assert.NotNull(failure);
        Assert.Equal(MappingErrorKind.Normalization, failure.Kind);
        Assert.Equal("heartrate", failure.TypeName);
        Assert.StartsWith("Template 'heartrate': Unable to evaluate expression $..[?(@heartRate && @valid > false)]", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\"yes\" > false", failure.Message, StringComparison.Ordinal);
        Assert.Empty(output);

        // The same mapping with a boolean flag maps: only the data that Json.NET could not compare fails.
        Assert.Single(MappingFixtures.Normalize(mapping, """{"deviceId":"d1","patientId":"p1","time":"2026-11-21T10:00:00Z","heartRate":70,"valid":true}"""));
    }

    [Fact]
    public void An_Optional_Value_Whose_Filter_Faults_Fails_The_Message_Too()
    {
        DeviceMapping mapping = DeviceMapping.Load(Mapping);
        var output = new List<Measurement>();

        string? error = MappingFixtures.NormalizeBothWays(mapping,
            """{"deviceId":"d1","patientId":"p1","time":"2026-11-21T10:00:00Z","heartRate":70,"valid":true,"readings":[{"q":"high"}]}""",
            "{}", "{}", null, output);

        Assert.NotNull(error);
        Assert.Contains("$.Body.readings[?(@.q > 0)].q", error, StringComparison.Ordinal);
        Assert.Contains("\"high\" > 0", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
