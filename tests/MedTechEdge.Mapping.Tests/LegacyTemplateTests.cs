using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Tests;

/// <summary>JsonPathContent, IotJsonPathContent and IotCentralJsonPathContent (medtech-semantics §2.4).</summary>
public sealed class LegacyTemplateTests
{
    private static DeviceMapping Mapping(string type, string template) => DeviceMapping.Load(
        $$$"""{"templateType":"CollectionContent","template":[{"templateType":"{{{type}}}","template":{{{template}}}}]}""");

    private static List<Measurement> Normalize(DeviceMapping mapping, string body, string properties = "{}", string systemProperties = "{}")
    {
        using JsonDocument envelope = MappingFixtures.Envelope(body, properties, systemProperties);
        var output = new List<Measurement>();
        Assert.Null(MappingFixtures.NormalizeBothWays(mapping, envelope, output));
        return output;
    }

    [Fact]
    public void JsonPathContent_Evaluates_Every_Expression_Relative_To_The_Match()
    {
        DeviceMapping mapping = Mapping("JsonPathContentTemplate", """
            {"typeName":"hr","typeMatchExpression":"$..[?(@heartRate)]","deviceIdExpression":"$.deviceId",
             "timestampExpression":"$.endDate","patientIdExpression":"$.patient",
             "values":[{"valueName":"hr","valueExpression":"$.heartRate","required":"true"}]}
            """);

        List<Measurement> ms = Normalize(mapping, """{"items":[{"deviceId":"a","endDate":"2026-01-01T00:00:00Z","heartRate":70,"patient":"p"}]}""");

        Measurement m = Assert.Single(ms);
        Assert.Equal("a", m.DeviceId);
        Assert.Equal("p", m.PatientId);
        Assert.Equal("70", m.Properties[0].Value);
    }

    [Fact]
    public void JsonPathContent_Accepts_Only_Plain_JsonPath_Strings()
    {
        const string json = """
            {"templateType":"CollectionContent","template":[{"templateType":"JsonPathContent","template":{
              "typeName":"hr","typeMatchExpression":"$..[?(@hr)]","deviceIdExpression":{"value":"$.d","language":"JsonPath"},
              "timestampExpression":"$.t","defaultExpressionLanguage":"JmesPath"}}]}
            """;

        Assert.False(DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Contains(errors, e => e.Message == "Property 'deviceIdExpression' must be a JSONPath string.");
        Assert.Contains(errors, e => e.Message.StartsWith("Could not find member 'defaultExpressionLanguage'", StringComparison.Ordinal));
    }

    [Fact]
    public void IotJsonPathContent_Takes_The_Device_From_SystemProperties_And_The_Creation_Time_From_Properties()
    {
        // deviceIdExpression is ignored when supplied, not an error (§3.5).
        DeviceMapping mapping = Mapping("IotJsonPathContent", """
            {"typeName":"hr","typeMatchExpression":"$..[?(@Body.heartRate)]","deviceIdExpression":"$.ignored",
             "values":[{"valueName":"hr","valueExpression":"$.Body.heartRate","required":true}]}
            """);

        Measurement m = Assert.Single(Normalize(mapping, """{"heartRate":88}""",
            """{"iothub-creation-time-utc":"2026-11-21T10:00:00Z"}""",
            """{"iothub-connection-device-id":"hub-device","iothub-enqueuedtime":"2026-11-21T10:00:05Z"}"""));

        Assert.Equal("hub-device", m.DeviceId);
        Assert.Equal(new DateTime(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc), m.OccurrenceTimeUtc);
        Assert.Equal("88", m.Properties[0].Value);
    }

    [Fact]
    public void IotJsonPathContent_Falls_Back_To_The_Enqueued_Time_When_There_Is_No_Creation_Time()
    {
        DeviceMapping mapping = Mapping("IotJsonPathContent", """
            {"typeName":"hr","typeMatchExpression":"$..[?(@Body.heartRate)]","values":[{"valueName":"hr","valueExpression":"$.Body.heartRate"}]}
            """);

        Measurement m = Assert.Single(Normalize(mapping, """{"heartRate":88}""", "{}",
            """{"iothub-connection-device-id":"hub-device","iothub-enqueuedtime":"2026-11-21T10:00:05Z"}"""));

        Assert.Equal(new DateTime(2026, 11, 21, 10, 0, 5, DateTimeKind.Utc), m.OccurrenceTimeUtc);
    }

    [Fact]
    public void IotJsonPathContent_With_Neither_Time_Names_The_Timestamp_Field()
    {
        DeviceMapping mapping = Mapping("IotJsonPathContent", """{"typeName":"hr","typeMatchExpression":"$..[?(@Body.heartRate)]","values":[]}""");
        using JsonDocument envelope = MappingFixtures.Envelope("""{"heartRate":88}""", "{}", """{"iothub-connection-device-id":"d"}""");

        string? error = MappingFixtures.NormalizeBothWays(mapping, envelope, []);

        Assert.Contains("[TimestampExpression]", error, StringComparison.Ordinal);
        Assert.Contains("iothub-creation-time-utc", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IotCentralJsonPathContent_Reads_Every_Export_Of_An_Array_Body()
    {
        DeviceMapping mapping = Mapping("IotCentralJsonPathContent", """
            {"typeName":"hr","typeMatchExpression":"$..[?(@telemetry.HeartRate)]",
             "values":[{"valueName":"hr","valueExpression":"$.telemetry.HeartRate","required":true}]}
            """);

        List<Measurement> ms = Normalize(mapping, """
            [ {"deviceId":"c1","enqueuedTime":"2026-11-21T11:00:00Z","telemetry":{"HeartRate":61},"enrichments":{}},
              {"deviceId":"c2","enqueuedTime":"2026-11-21T11:00:01Z","telemetry":{"HeartRate":62}} ]
            """);

        Assert.Equal(["c1", "c2"], ms.ConvertAll(m => m.DeviceId));
        Assert.Equal(["61", "62"], ms.ConvertAll(m => m.Properties[0].Value));
        Assert.Equal(new DateTime(2026, 11, 21, 11, 0, 1, DateTimeKind.Utc), ms[1].OccurrenceTimeUtc);
    }

    [Theory]
    [InlineData("IotCentralJsonPathContentTemplate")]
    public void IotCentral_Has_No_Template_Suffix_Spelling(string type)
    {
        string json = $$$"""{"templateType":"CollectionContent","template":[{"templateType":"{{{type}}}","template":{"typeName":"x","typeMatchExpression":"$"}}]}""";
        Assert.False(DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Contains(errors, e => e.Message == $"No match found for template type {type}.");
    }
}
