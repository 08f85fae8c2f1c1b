using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Mapping.Tests;

public sealed class DeviceMappingTests
{
    private static DeviceMapping Bundled => DeviceMapping.Load(MappingFixtures.BundledDeviceMapping);

    [Fact]
    public void Bundled_Mapping_Loads_Without_Warnings()
    {
        DeviceMapping mapping = Bundled;
        Assert.Empty(mapping.Warnings);
        Assert.Equal(["heartrate", "spo2", "bloodpressure", "bodytemperature", "respiratoryrate", "pulserate", "ecg"], mapping.TypeNames);
    }

    [Fact]
    public void Heart_Rate_Message_Projects_One_Measurement_With_Every_Field()
    {
        List<Measurement> measurements = MappingFixtures.Normalize(Bundled,
            """{"deviceId":"sim-01","patientId":"patient-01","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72}""");

        Measurement m = Assert.Single(measurements);
        Assert.Equal("heartrate", m.Type);
        Assert.Equal("sim-01", m.DeviceId);
        Assert.Equal("patient-01", m.PatientId);
        Assert.Equal(new DateTime(2026, 11, 21, 17, 0, 0, 123, DateTimeKind.Utc), m.OccurrenceTimeUtc);
        Assert.Equal(DateTimeKind.Utc, m.OccurrenceTimeUtc.Kind);
        Assert.Equal(new DateTime(2026, 11, 21, 17, 0, 1, DateTimeKind.Utc), m.IngestionTimeUtc);
        Assert.Equal([new MeasurementProperty("hr", "72")], m.Properties);
    }

    [Fact]
    public void Every_Matched_Token_Projects_In_Document_Order()
    {
        List<Measurement> measurements = MappingFixtures.Normalize(Bundled, """
            [ {"deviceId":"a","patientId":"p","measurementTime":"2026-11-21T17:00:00Z","heartRate":70},
              {"deviceId":"a","patientId":"p","measurementTime":"2026-11-21T17:00:01Z","heartRate":71,"spo2":97.5} ]
            """);

        Assert.Equal(["heartrate", "heartrate", "spo2"], measurements.ConvertAll(m => m.Type));
        Assert.Equal(["70", "71", "97.5"], measurements.ConvertAll(m => m.Properties[0].Value));
    }

    [Fact]
    public void A_Message_No_Template_Matches_Projects_Nothing()
    {
        Assert.Empty(MappingFixtures.Normalize(Bundled, """{"deviceId":"a","steps":100}"""));
    }

    [Fact]
    public void Missing_Required_Value_Fails_The_Whole_Message_And_Names_The_Field()
    {
        // Heart rate is fine but the blood pressure's timestamp is missing: nothing of the message is kept.
        using JsonDocument envelope = MappingFixtures.Envelope("""
            [ {"deviceId":"a","patientId":"p","measurementTime":"2026-11-21T17:00:00Z","heartRate":70},
              {"deviceId":"a","patientId":"p","systolic":120,"diastolic":80} ]
            """);
        var output = new List<Measurement>();

        string? error = MappingFixtures.NormalizeBothWays(Bundled, envelope, output);

        Assert.Empty(output);
        Assert.Contains("[TimestampExpression]", error, StringComparison.Ordinal);
        Assert.Contains("$.matchedToken.measurementTime", error, StringComparison.Ordinal);
        Assert.StartsWith("Template 'bloodpressure'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"garbage\"")]
    [InlineData("1700000000")]
    [InlineData("null")]
    public void Unusable_Timestamp_Is_An_Error(string time)
    {
        using JsonDocument envelope = MappingFixtures.Envelope($$"""{"deviceId":"a","measurementTime":{{time}},"heartRate":70}""");
        var output = new List<Measurement>();

        Assert.Contains("[TimestampExpression]", MappingFixtures.NormalizeBothWays(Bundled, envelope, output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-21T17:00:00+05:00", 12)]
    [InlineData("2026-11-21T17:00:00", 17)]
    [InlineData("2026-11-21T17:00:00.1234567Z", 17)]
    public void Timestamps_Are_Normalized_To_Utc_And_Zoneless_Means_Utc(string time, int expectedHour)
    {
        Measurement m = Assert.Single(MappingFixtures.Normalize(Bundled, $$"""{"deviceId":"a","measurementTime":"{{time}}","heartRate":70}"""));
        Assert.Equal(expectedHour, m.OccurrenceTimeUtc.Hour);
        Assert.Equal(DateTimeKind.Utc, m.OccurrenceTimeUtc.Kind);
    }

    [Theory]
    [InlineData("72", "72")]
    [InlineData("98.6", "98.6")]
    [InlineData("1.0", "1")]
    [InlineData("1e3", "1000")]
    [InlineData("true", "True")]
    [InlineData("\"fast\"", "fast")]
    public void Values_Become_Strings_As_The_Managed_Service_Writes_Them(string json, string expected)
    {
        Measurement m = Assert.Single(MappingFixtures.Normalize(Bundled, $$"""{"deviceId":"a","measurementTime":"2026-11-21T17:00:00Z","heartRate":{{json}}}"""));
        Assert.Equal(expected, m.Properties[0].Value);
    }

    [Fact]
    public void Object_Value_For_A_Required_Field_Is_An_Error()
    {
        using JsonDocument envelope = MappingFixtures.Envelope("""{"deviceId":"a","measurementTime":"2026-11-21T17:00:00Z","heartRate":{"v":1}}""");
        string? error = MappingFixtures.NormalizeBothWays(Bundled, envelope, []);
        Assert.Contains("Encountered an error while extracting value for [hr]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_Members_Are_Errors_With_Line_And_Position()
    {
        const string json = """
            {
              "templateType": "CollectionContent",
              "template": [
                {
                  "templateType": "CalculatedContent",
                  "template": {
                    "typeName": "hr",
                    "typeMatchExpressionFake": "$..[?(@hr)]",
                    "deviceIdExpression": "$.matchedToken.id",
                    "timestampExpression": "$.matchedToken.t"
                  }
                }
              ]
            }
            """;

        Assert.False(DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));

        TemplateError unknown = Assert.Single(errors, e => e.Message.Contains("typeMatchExpressionFake", StringComparison.Ordinal));
        Assert.Equal(8, unknown.Line);
        Assert.Equal(9, unknown.Position);
        Assert.Contains(errors, e => e.Message.Contains("'typeMatchExpression' not found", StringComparison.Ordinal));
        Assert.StartsWith("Line Number: 8, Position: 9.", unknown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPath_Syntax_Errors_Are_Found_At_Load()
    {
        const string json = """
            {"templateType":"CollectionContent","template":[{"templateType":"CalculatedContent","template":{
              "typeName":"hr","typeMatchExpression":"$..[?(@hr >)]","deviceIdExpression":"$.matchedToken.id","timestampExpression":"$.matchedToken.t","values":[]}}]}
            """;

        var ex = Assert.Throws<TemplateLoadException>(() => DeviceMapping.Load(json));
        TemplateError error = Assert.Single(ex.Errors);
        Assert.Contains("$..[?(@hr >)]", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("CalculatedContentTemplate")]
    [InlineData("Unknown")]
    public void Unaccepted_Template_Type_Names_Are_Errors(string type)
    {
        string json = $$$"""{"templateType":"CollectionContent","template":[{"templateType":"{{{type}}}","template":{}}]}""";
        Assert.False(DeviceMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Contains(errors, e => e.Message == $"No match found for template type {type}.");
    }

    [Fact]
    public void Template_Type_Names_And_Members_Are_Case_Insensitive_And_Booleans_May_Be_Strings()
    {
        const string json = """
            {"TemplateType":"collectioncontent","Template":[{"templateType":"calculatedCONTENT","template":{
              "TypeName":"hr","TypeMatchExpression":"$..[?(@hr)]","DeviceIdExpression":"$.matchedToken.id",
              "TimestampExpression":{"value":"$.matchedToken.t","language":"JsonPath"},
              "Values":[{"ValueName":"hr","ValueExpression":"$.matchedToken.hr","Required":"true"}]}}]}
            """;

        DeviceMapping mapping = DeviceMapping.Load(json);
        Measurement m = Assert.Single(MappingFixtures.Normalize(mapping, """{"id":"d","t":"2026-01-01T00:00:00Z","hr":1}"""));
        Assert.Equal("d", m.DeviceId);
    }

    [Fact]
    public void Invalid_Json_Reports_Line_And_Position()
    {
        Assert.False(DeviceMapping.TryLoad("{\n  \"templateType\": ,\n}", out _, out IReadOnlyList<TemplateError> errors));
        TemplateError error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.True(error.Position > 0);
    }
}
