using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mapping.Tests;

public sealed class FhirMappingTests
{
    private const string ServiceSystem = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/";
    private static readonly ResourceReferences s_refs = new("pat-1", "dev-1");
    private static readonly DateTime s_issued = new(2026, 11, 21, 18, 0, 0, DateTimeKind.Utc);

    private static FhirMapping Bundled => FhirMapping.Load(MappingFixtures.BundledFhirMapping);

    private static Measurement HeartRate(string value = "72") => new()
    {
        Type = "heartrate",
        OccurrenceTimeUtc = new DateTime(2026, 11, 21, 17, 0, 0, 123, DateTimeKind.Utc),
        DeviceId = "sim-01",
        PatientId = "patient-01",
        Properties = { new MeasurementProperty("hr", value) },
    };

    private static JsonElement Transform(FhirMapping mapping, Measurement measurement, out FhirResource resource)
    {
        var output = new List<FhirResource>();
        Assert.Null(mapping.Transform(measurement, s_refs, s_issued, output));
        resource = Assert.Single(output);
        FhirResourceAssert.Valid(resource.Json);
        return JsonDocument.Parse(resource.Json).RootElement;
    }

    [Fact]
    public void Bundled_Mapping_Loads_Without_Warnings()
    {
        FhirMapping mapping = Bundled;
        Assert.Empty(mapping.Warnings);
        Assert.True(mapping.HasTemplate("HEARTRATE"));
    }

    [Fact]
    public void Heart_Rate_Becomes_A_Quantity_Observation_As_The_Managed_Service_Writes_It()
    {
        JsonElement obs = Transform(Bundled, HeartRate(), out FhirResource resource);

        Assert.Equal("Observation", obs.GetProperty("resourceType").GetString());
        Assert.Equal("final", obs.GetProperty("status").GetString());
        JsonElement identifier = obs.GetProperty("identifier")[0];
        Assert.Equal(ServiceSystem, identifier.GetProperty("system").GetString());
        Assert.Equal("pat-1.dev-1.heartrate.20261121170000Z.20261121170000Z", identifier.GetProperty("value").GetString());
        string expectedId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ServiceSystem + "_" + identifier.GetProperty("value").GetString())));
        Assert.Equal(expectedId, resource.Id);
        Assert.Equal(expectedId, obs.GetProperty("id").GetString());

        JsonElement code = obs.GetProperty("code");
        Assert.Equal("heartrate", code.GetProperty("text").GetString());
        Assert.Equal("8867-4", code.GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(ServiceSystem, code.GetProperty("coding")[1].GetProperty("system").GetString());
        Assert.Equal("heartrate", code.GetProperty("coding")[1].GetProperty("code").GetString());
        Assert.Equal("vital-signs", obs.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("code").GetString());

        Assert.Equal("Patient/pat-1", obs.GetProperty("subject").GetProperty("reference").GetString());
        Assert.Equal("Device/dev-1", obs.GetProperty("device").GetProperty("reference").GetString());
        Assert.Equal("2026-11-21T17:00:00.1230000Z", obs.GetProperty("effectivePeriod").GetProperty("start").GetString());
        Assert.Equal("2026-11-21T17:00:00.1230000Z", obs.GetProperty("effectivePeriod").GetProperty("end").GetString());
        Assert.Equal("2026-11-21T18:00:00.0000000Z", obs.GetProperty("issued").GetString());

        JsonElement quantity = obs.GetProperty("valueQuantity");
        Assert.Equal(72m, quantity.GetProperty("value").GetDecimal());
        Assert.Equal("/min", quantity.GetProperty("code").GetString());
        Assert.Equal("http://unitsofmeasure.org", quantity.GetProperty("system").GetString());
    }

    [Fact]
    public void Same_Measurement_Gives_The_Same_Id_So_A_Replay_Does_Not_Duplicate()
    {
        Transform(Bundled, HeartRate("72"), out FhirResource first);
        Transform(Bundled, HeartRate("73"), out FhirResource second);
        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public void Blood_Pressure_Becomes_Components_With_The_Service_Coding()
    {
        var bp = new Measurement
        {
            Type = "bloodpressure",
            OccurrenceTimeUtc = new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc),
            DeviceId = "d",
            Properties = { new MeasurementProperty("systolic", "120"), new MeasurementProperty("diastolic", "80") },
        };

        JsonElement obs = Transform(Bundled, bp, out _);

        Assert.False(obs.TryGetProperty("valueQuantity", out _));
        JsonElement components = obs.GetProperty("component");
        Assert.Equal(2, components.GetArrayLength());
        Assert.Equal("8480-6", components[0].GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal("systolic", components[0].GetProperty("code").GetProperty("coding")[1].GetProperty("code").GetString());
        Assert.Equal(120m, components[0].GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.Equal(80m, components[1].GetProperty("valueQuantity").GetProperty("value").GetDecimal());
    }

    [Fact]
    public void Type_Without_Template_Is_An_Error_Not_A_Stall()
    {
        var output = new List<FhirResource>();
        MappingError? error = Bundled.Transform(new Measurement { Type = "steps", OccurrenceTimeUtc = DateTime.UtcNow, DeviceId = "d" }, s_refs, s_issued, output);
        Assert.Equal(MappingErrorKind.TemplateNotFound, error?.Kind);
        Assert.Contains("No FHIR template for type 'steps'", error!.Message, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("1e3")]
    public void Quantity_That_Is_Not_A_Decimal_Is_An_Error(string value)
    {
        MappingError? error = Bundled.Transform(HeartRate(value), s_refs, s_issued, []);
        Assert.Equal(MappingErrorKind.InvalidValue, error?.Kind);
        Assert.Contains("Error encountered processing value: " + value, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Type_Names_Are_Rejected_Case_Insensitively()
    {
        const string json = """
            {"templateType":"CollectionFhir","template":[
              {"templateType":"CodeValueFhir","template":{"typeName":"hr","codes":[]}},
              {"templateType":"CodeValueFhir","template":{"typeName":"HR","codes":[]}}]}
            """;
        Assert.False(FhirMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Contains(errors, e => e.Message == "Duplicate template defined for type name: 'HR'.");
    }

    [Theory]
    [InlineData("30")]
    [InlineData("\"Weekly\"")]
    public void Unknown_PeriodInterval_Is_Rejected_At_Load(string period)
    {
        string json = $$$"""{"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{"typeName":"hr","periodInterval":{{{period}}},"codes":[]}}]}""";
        Assert.False(FhirMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        TemplateError error = Assert.Single(errors);
        Assert.Contains("Unsupported periodInterval", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("60")]
    [InlineData("\"Hourly\"")]
    [InlineData("\"1440\"")]
    [InlineData("-1")]
    public void Accepted_PeriodInterval_Spellings_Load(string period)
    {
        string json = $$$"""{"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{"typeName":"hr","periodInterval":{{{period}}},"codes":[]}}]}""";
        Assert.True(FhirMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors), string.Join("; ", errors));
    }

    [Fact]
    public void Missing_Codes_And_Blank_Type_Name_Are_Errors()
    {
        const string json = """{"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{"typeName":" "}}]}""";
        Assert.False(FhirMapping.TryLoad(json, out _, out IReadOnlyList<TemplateError> errors));
        Assert.Contains(errors, e => e.Message == "Empty type name is not allowed.");
        Assert.Contains(errors, e => e.Message == "Required property 'Codes' not found.");
    }
}

public sealed class CodeableConceptTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData(",\"valueName\":\"fall\"", false)]
    public void CodeableConcept_Without_A_ValueName_Is_Always_Set_With_One_Only_When_Present(string valueName, bool expected)
    {
        FhirMapping mapping = FhirMapping.Load($$$$"""
            {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{"typeName":"alarm","codes":[],
              "value":{"valueType":"CodeableConcept","text":"Alarm"{{{{valueName}}}},"codes":[{"code":"A1","system":"urn:alarms"}]}}}]}
            """);
        var output = new List<FhirResource>();
        var m = new Measurement { Type = "alarm", OccurrenceTimeUtc = DateTime.UtcNow, DeviceId = "d", Properties = { new MeasurementProperty("other", "1") } };

        Assert.Null(mapping.Transform(m, new ResourceReferences("p", "d"), DateTime.UtcNow, output));

        FhirResourceAssert.Valid(Assert.Single(output).Json);
        JsonElement obs = JsonDocument.Parse(output[0].Json).RootElement;
        Assert.Equal(expected, obs.TryGetProperty("valueCodeableConcept", out JsonElement concept));
        if (expected)
        {
            Assert.Equal("A1", concept.GetProperty("coding")[0].GetProperty("code").GetString());
            Assert.Equal("Alarm", concept.GetProperty("text").GetString());
        }
    }
}
