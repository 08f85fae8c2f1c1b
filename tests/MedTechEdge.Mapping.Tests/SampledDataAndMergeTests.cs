using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mapping.Tests;

/// <summary>Grouping by periodInterval, SampledData slots and the merge into an existing Observation (medtech-semantics §4-§7).</summary>
public sealed class SampledDataAndMergeTests
{
    private static readonly ResourceReferences s_refs = new("pat", "dev");
    private static readonly DateTime s_issued = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);

    private static FhirMapping Mapping(string period, string valueType = "SampledData", string extra = "") => FhirMapping.Load($$$"""
        {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
          "typeName":"hr","periodInterval":{{{period}}},"codes":[{"code":"8867-4","system":"http://loinc.org"}],
          "value":{"valueType":"{{{valueType}}}","valueName":"hr","defaultPeriod":1000,"unit":"count/min"}{{{extra}}}}}]}
        """);

    private static Measurement Hr(int second, string value, string? correlationId = null, int millisecond = 0, int hour = 10, DateTime? ingestion = null) => new()
    {
        Type = "hr",
        OccurrenceTimeUtc = new DateTime(2026, 11, 21, hour, 0, second, millisecond, DateTimeKind.Utc),
        IngestionTimeUtc = ingestion,
        DeviceId = "d",
        PatientId = "p",
        CorrelationId = correlationId,
        Properties = { new MeasurementProperty("hr", value) },
    };

    private static List<JsonElement> Create(FhirMapping mapping, params Measurement[] measurements)
    {
        MeasurementGrouping grouping = mapping.CreateGrouping();
        foreach (Measurement m in measurements)
        {
            Assert.Null(grouping.Add(m));
        }

        var observations = new List<JsonElement>();
        foreach (ObservationGroup group in grouping.Groups)
        {
            Assert.Null(mapping.CreateObservation(group, s_refs, s_issued, out FhirResource? observation));
            FhirResourceAssert.Valid(observation!.Json);
            observations.Add(JsonDocument.Parse(observation.Json).RootElement);
        }

        return observations;
    }

    [Fact]
    public void Hourly_Groups_A_Whole_Hour_Into_One_Observation_With_One_Slot_Per_Period()
    {
        JsonElement obs = Assert.Single(Create(Mapping("60"), Hr(0, "70"), Hr(2, "72"), Hr(2, "99", millisecond: 500, ingestion: null)));

        JsonElement sampled = obs.GetProperty("valueSampledData");
        string[] slots = sampled.GetProperty("data").GetString()!.Split(' ');
        Assert.Equal(3600, slots.Length);
        // Slot 2 holds the latest value inside [2 s, 3 s).
        Assert.Equal(["70", "E", "99", "E"], slots[..4]);
        Assert.Equal(1000m, sampled.GetProperty("period").GetDecimal());
        Assert.Equal(1, sampled.GetProperty("dimensions").GetInt32());
        Assert.Equal("count/min", sampled.GetProperty("origin").GetProperty("unit").GetString());
        Assert.Equal("2026-11-21T10:00:00.0000000Z", obs.GetProperty("effectivePeriod").GetProperty("start").GetString());
        Assert.Equal("2026-11-21T10:59:59.9999999Z", obs.GetProperty("effectivePeriod").GetProperty("end").GetString());
        Assert.Equal("pat.dev.hr.20261121100000Z.20261121105959Z", obs.GetProperty("identifier")[0].GetProperty("value").GetString());
    }

    [Fact]
    public void Different_Hours_Are_Different_Observations()
    {
        Assert.Equal(2, Create(Mapping("\"Hourly\""), Hr(0, "70", hour: 10), Hr(0, "71", hour: 11)).Count);
    }

    [Fact]
    public void Daily_Spans_The_Utc_Day()
    {
        JsonElement obs = Assert.Single(Create(Mapping("1440"), Hr(0, "70")));
        Assert.Equal(86400, obs.GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ').Length);
        Assert.Equal("2026-11-21T23:59:59.9999999Z", obs.GetProperty("effectivePeriod").GetProperty("end").GetString());
    }

    [Fact]
    public void CorrelationId_Spans_First_To_Last_Measurement_And_Names_The_Observation()
    {
        JsonElement obs = Assert.Single(Create(Mapping("-1"), Hr(1, "70", "run-7"), Hr(4, "74", "run-7")));

        Assert.Equal("70 E E 74", obs.GetProperty("valueSampledData").GetProperty("data").GetString());
        Assert.Equal("pat.dev.hr.run-7", obs.GetProperty("identifier")[0].GetProperty("value").GetString());
        Assert.Equal("2026-11-21T10:00:04.0000000Z", obs.GetProperty("effectivePeriod").GetProperty("end").GetString());
    }

    [Fact]
    public void CorrelationId_Grouping_Without_A_Correlation_Id_Is_An_Error()
    {
        MappingError? error = Mapping("-1").CreateGrouping().Add(Hr(1, "70"));
        Assert.Equal(MappingErrorKind.CorrelationIdNotDefined, error?.Kind);
        Assert.Contains("CorrelationIdNotDefined", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_Time_Twice_Keeps_The_Later_Received()
    {
        DateTime early = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        JsonElement obs = Assert.Single(Create(Mapping("-1"), Hr(1, "70", "c", ingestion: early.AddSeconds(5)), Hr(1, "71", "c", ingestion: early)));
        Assert.Equal("70", obs.GetProperty("valueSampledData").GetProperty("data").GetString());
    }

    [Fact]
    public void PeriodInterval_Is_Ignored_For_Quantity_So_Each_Instant_Is_Its_Own_Observation()
    {
        List<JsonElement> observations = Create(Mapping("60", "Quantity"), Hr(0, "70"), Hr(5, "75"));
        Assert.Equal(2, observations.Count);
        Assert.All(observations, o => Assert.True(o.TryGetProperty("valueQuantity", out _)));
    }

    [Fact]
    public void Non_Decimal_SampledData_Value_Is_An_Error()
    {
        MeasurementGrouping grouping = Mapping("60").CreateGrouping();
        grouping.Add(Hr(0, "fast"));
        string? error = Mapping("60").CreateObservation(grouping.Groups.Single(), s_refs, s_issued, out _)?.Message;
        Assert.Contains("not a decimal", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_Adds_New_Slots_New_Value_Wins_And_Status_Becomes_Amended()
    {
        FhirMapping mapping = Mapping("60");
        byte[] existing = Encoding.UTF8.GetBytes(Create(mapping, Hr(0, "70"), Hr(1, "71")).Single().GetRawText());
        MeasurementGrouping later = mapping.CreateGrouping();
        later.Add(Hr(1, "81"));
        later.Add(Hr(3, "83"));

        Assert.Null(mapping.MergeObservation(later.Groups.Single(), existing, out byte[]? merged));
        FhirResourceAssert.Valid(merged!);

        JsonElement obs = JsonDocument.Parse(merged!).RootElement;
        Assert.Equal("amended", obs.GetProperty("status").GetString());
        Assert.Equal(["70", "81", "E", "83", "E"], obs.GetProperty("valueSampledData").GetProperty("data").GetString()!.Split(' ')[..5]);
        Assert.Equal(JsonDocument.Parse(existing).RootElement.GetProperty("id").GetString(), obs.GetProperty("id").GetString());
    }

    [Fact]
    public void Merge_With_Nothing_New_Writes_Nothing()
    {
        FhirMapping mapping = Mapping("60");
        byte[] existing = Encoding.UTF8.GetBytes(Create(mapping, Hr(0, "70")).Single().GetRawText());
        MeasurementGrouping same = mapping.CreateGrouping();
        same.Add(Hr(0, "70"));

        Assert.Null(mapping.MergeObservation(same.Groups.Single(), existing, out byte[]? merged));
        Assert.Null(merged);
    }

    [Fact]
    public void Merge_Of_A_Quantity_Replaces_It_And_Widens_The_Period()
    {
        JsonElement obs = MergeInOneSecond(Mapping("0", "Quantity"), "70", "75");
        Assert.Equal(75m, obs.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.Equal("2026-11-21T10:00:00.1000000Z", obs.GetProperty("effectivePeriod").GetProperty("start").GetString());
        Assert.Equal("2026-11-21T10:00:00.9000000Z", obs.GetProperty("effectivePeriod").GetProperty("end").GetString());
    }

    [Theory]
    [InlineData("String", "valueString")]
    [InlineData("CodeableConcept", "valueCodeableConcept")]
    public void Merge_Of_A_String_Or_CodeableConcept_Replaces_It_And_Stays_Valid_Fhir(string valueType, string property)
    {
        FhirMapping mapping = FhirMapping.Load($$$$"""
            {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
              "typeName":"hr","periodInterval":0,"codes":[{"code":"8867-4","system":"http://loinc.org"}],
              "value":{"valueType":"{{{{valueType}}}}","valueName":"hr","text":"Rhythm","codes":[{"code":"R","system":"urn:rhythm"}]}}}]}
            """);
        JsonElement obs = MergeInOneSecond(mapping, "sinus", "irregular");
        Assert.True(obs.TryGetProperty(property, out _));
        Assert.Equal("amended", obs.GetProperty("status").GetString());
    }

    // Writes `first` at 10:00:00.1, merges `second` at 10:00:00.9 into it, and has Firely check the merge result.
    private static JsonElement MergeInOneSecond(FhirMapping mapping, string first, string second)
    {
        byte[] existing = Encoding.UTF8.GetBytes(Create(mapping, Hr(0, first, millisecond: 100)).Single().GetRawText());
        MeasurementGrouping later = mapping.CreateGrouping();
        later.Add(Hr(0, second, millisecond: 900));

        Assert.Null(mapping.MergeObservation(later.Groups.Single(), existing, out byte[]? merged));
        FhirResourceAssert.Valid(merged!);
        return JsonDocument.Parse(merged!).RootElement;
    }

    [Fact]
    public void Merge_Into_A_Different_Value_Type_Is_An_Error()
    {
        byte[] existing = Encoding.UTF8.GetBytes(Create(Mapping("0", "Quantity"), Hr(0, "70")).Single().GetRawText());
        MeasurementGrouping grouping = Mapping("0", "String").CreateGrouping();
        grouping.Add(Hr(0, "x"));

        MappingError? merge = Mapping("0", "String").MergeObservation(grouping.Groups.Single(), existing, out _);
        Assert.Equal(MappingErrorKind.MergeConflict, merge?.Kind);
        string? error = merge?.Message;

        Assert.Contains("Cannot merge a String value", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_Adds_A_Missing_Component()
    {
        FhirMapping mapping = FhirMapping.Load("""
            {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{"typeName":"bp","codes":[],
              "components":[{"codes":[{"code":"8480-6"}],"value":{"valueType":"Quantity","valueName":"sys"}},
                            {"codes":[{"code":"8462-4"}],"value":{"valueType":"Quantity","valueName":"dia"}}]}}]}
            """);
        Measurement Bp(params MeasurementProperty[] values)
        {
            var m = new Measurement { Type = "bp", OccurrenceTimeUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), DeviceId = "d" };
            m.Properties.AddRange(values);
            return m;
        }

        MeasurementGrouping first = mapping.CreateGrouping();
        first.Add(Bp(new MeasurementProperty("sys", "120")));
        Assert.Null(mapping.CreateObservation(first.Groups.Single(), s_refs, s_issued, out FhirResource? created));
        FhirResourceAssert.Valid(created!.Json);
        MeasurementGrouping second = mapping.CreateGrouping();
        second.Add(Bp(new MeasurementProperty("dia", "80")));

        Assert.Null(mapping.MergeObservation(second.Groups.Single(), created.Json, out byte[]? merged));
        FhirResourceAssert.Valid(merged!);

        JsonElement components = JsonDocument.Parse(merged!).RootElement.GetProperty("component");
        Assert.Equal(2, components.GetArrayLength());
        Assert.Equal(80m, components[1].GetProperty("valueQuantity").GetProperty("value").GetDecimal());
    }
}
