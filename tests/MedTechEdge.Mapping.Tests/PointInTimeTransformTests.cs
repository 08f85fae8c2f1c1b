using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// <see cref="FhirMapping.Transform"/> writes a point-in-time Observation straight from its measurement, without the
/// group that <see cref="FhirMapping.CreateObservation"/> writes from; both must give the same bytes. The id is hashed
/// from the identifier where the writer put it, from the state after the service system's block. A group keeps its
/// first measurement as it is until a second one joins.
/// </summary>
public sealed class PointInTimeTransformTests
{
    private const string Category = """
        "category":[{"text":"Vital Signs","codes":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}]}],
        """;

    private static readonly FhirMapping s_mapping = FhirMapping.Load($$$$"""
        {"templateType":"CollectionFhir","template":[
          {"templateType":"CodeValueFhir","template":{"typeName":"heartrate",{{{{Category}}}}
            "codes":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],
            "value":{"valueType":"Quantity","valueName":"hr","unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}},
          {"templateType":"CodeValueFhir","template":{"typeName":"temp","codes":[{"code":"8310-5"}],
            "value":{"valueType":"Quantity","valueName":"t","unit":"<°C & 'x'>"}}},
          {"templateType":"CodeValueFhir","template":{"typeName":"tÿpe","codes":[{"code":"1","display":"Ü"}],
            "value":{"valueType":"Quantity","valueName":"v"}}},
          {"templateType":"CodeValueFhir","template":{"typeName":"bp",{{{{Category}}}}"codes":[{"code":"85354-9"}],
            "value":{"valueType":"Quantity","valueName":"mean"},
            "components":[
              {"codes":[{"system":"http://loinc.org","code":"8480-6"}],"value":{"valueType":"Quantity","valueName":"systolic","unit":"mmHg"}},
              {"codes":[{"code":"n"}],"value":{"valueType":"String","valueName":"note"}},
              {"codes":[{"system":"http://loinc.org","code":"8462-4"}],"value":{"valueType":"Quantity","valueName":"diastolic","unit":"mmHg"}}]}},
          {"templateType":"CodeValueFhir","template":{"typeName":"label","codes":[{"code":"l"}],"value":{"valueType":"String","valueName":"s"}}},
          {"templateType":"CodeValueFhir","template":{"typeName":"alarm","codes":[],
            "value":{"valueType":"CodeableConcept","text":"Alarm","valueName":"a","codes":[{"code":"A1","system":"urn:alarms"}]}}}]}
        """);

    public static TheoryData<string, string[], string[]> Measurements => new()
    {
        { "heartrate", ["hr"], ["72"] },
        { "heartrate", ["hr"], ["72.50"] },
        { "heartrate", ["hr"], ["-0.0"] },
        { "heartrate", ["hr"], [" 1,000 "] },
        { "heartrate", ["hr", "hr"], ["60", "61"] },
        { "heartrate", ["other"], ["60"] },
        { "HEARTRATE", ["hr"], ["72"] },
        { "temp", ["t"], ["36.6"] },
        { "tÿpe", ["v"], ["1"] },
        { "bp", ["systolic", "diastolic", "mean", "note"], ["120", "80", "93.3", "cuff \"left\""] },
        { "bp", ["diastolic"], ["80"] },
        { "bp", ["none"], ["80"] },
        { "label", ["s"], ["<b>&é😀"] },
        { "alarm", ["a"], ["on"] },
        { "alarm", ["b"], ["on"] },
    };

    // Plain ids (the identifier hashed where it is written) and ids JSON escapes (the identifier made as a string).
    private static readonly (string Patient, string Device, string? Encounter)[] s_references =
        [("7f3b1c9e-patient", "a51d0e44-device", null), ("p1", "d1", "e1"), ("p&1", "d<1>", "e\"1"), ("pätient", "dévice", null)];

    [Theory]
    [MemberData(nameof(Measurements))]
    public void Transform_Writes_The_Same_Bytes_As_The_Observation_Of_A_Group_Of_That_Measurement(string type, string[] names, string[] values)
    {
        DateTime[] times = [new(2026, 11, 21, 17, 0, 0, 123, DateTimeKind.Utc), new(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified), new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999)];
        foreach (DateTime time in times)
        {
            foreach ((string patient, string device, string? encounter) in s_references)
            {
                var measurement = new Measurement { Type = type, OccurrenceTimeUtc = time, DeviceId = device, PatientId = patient };
                for (int i = 0; i < names.Length; i++)
                {
                    measurement.Properties.Add(new MeasurementProperty(names[i], values[i]));
                }

                var references = new ResourceReferences(patient, device, encounter);
                DateTime issued = time.AddSeconds(1);

                var output = new List<FhirResource>();
                Assert.Null(s_mapping.Transform(measurement, references, issued, output));
                FhirResource direct = Assert.Single(output);

                MeasurementGrouping grouping = s_mapping.CreateGrouping();
                Assert.Null(grouping.Add(measurement));
                Assert.Null(s_mapping.CreateObservation(Assert.Single(grouping.Groups), references, issued, out FhirResource? grouped));

                Assert.Equal(Encoding.UTF8.GetString(grouped!.Json), Encoding.UTF8.GetString(direct.Json));
                Assert.Equal(grouped.Id, direct.Id);
                FhirResourceAssert.Valid(direct.Json);
            }
        }
    }

    [Fact]
    public void The_Same_Errors_Come_From_A_Measurement_And_From_Its_Group()
    {
        var measurement = new Measurement { Type = "heartrate", OccurrenceTimeUtc = DateTime.UnixEpoch, DeviceId = "d", Properties = { new MeasurementProperty("hr", "1e3") } };
        var references = new ResourceReferences("p", "d");

        MappingError? direct = s_mapping.Transform(measurement, references, DateTime.UnixEpoch, []);
        MeasurementGrouping grouping = s_mapping.CreateGrouping();
        Assert.Null(grouping.Add(measurement));
        MappingError? grouped = s_mapping.CreateObservation(Assert.Single(grouping.Groups), references, DateTime.UnixEpoch, out _);

        Assert.NotNull(direct);
        Assert.Equal(grouped, direct);
    }

    [Fact]
    public void Templates_Alternating_Each_Keep_Their_Own_Code_And_Category()
    {
        // The constant text between identifier and patient is rendered once per template: each Observation carries its own.
        var references = new ResourceReferences("p", "d");
        for (int round = 0; round < 3; round++)
        {
            foreach ((string type, string name, string code, bool category) in new[] { ("heartrate", "hr", "8867-4", true), ("temp", "t", "8310-5", false) })
            {
                var output = new List<FhirResource>();
                var measurement = new Measurement { Type = type, OccurrenceTimeUtc = DateTime.UnixEpoch, DeviceId = "d", Properties = { new MeasurementProperty(name, "1") } };
                Assert.Null(s_mapping.Transform(measurement, references, DateTime.UnixEpoch, output));

                JsonElement observation = JsonDocument.Parse(output[0].Json).RootElement;
                Assert.Equal(code, observation.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
                Assert.Equal(type, observation.GetProperty("code").GetProperty("text").GetString());
                Assert.Equal(category, observation.TryGetProperty("category", out _));
                Assert.Equal("p.d." + type + ".19700101000000Z.19700101000000Z", observation.GetProperty("identifier")[0].GetProperty("value").GetString());
            }
        }
    }

    [Theory]
    [InlineData(100, "60", 900, "61", "61")]
    [InlineData(900, "61", 100, "60", "61")]
    public void A_Group_Holding_Its_First_Measurement_As_It_Is_Still_Weighs_It_When_A_Second_Joins(int firstMs, string first, int secondMs, string second, string expected)
    {
        // A group keeps its first measurement without a table until a second joins: the second must meet the first there.
        DateTime second0 = new(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);
        MeasurementGrouping grouping = s_mapping.CreateGrouping();
        Assert.Null(grouping.Add(new Measurement { Type = "heartrate", OccurrenceTimeUtc = second0.AddMilliseconds(firstMs), DeviceId = "d", Properties = { new MeasurementProperty("hr", first) } }));
        Assert.Null(grouping.Add(new Measurement { Type = "heartrate", OccurrenceTimeUtc = second0.AddMilliseconds(secondMs), DeviceId = "d", Properties = { new MeasurementProperty("hr", second) } }));

        ObservationGroup group = Assert.Single(grouping.Groups);
        Assert.Equal(2, group.Count);
        Assert.Null(s_mapping.CreateObservation(group, new ResourceReferences("p", "d"), second0, out FhirResource? observation));

        JsonElement root = JsonDocument.Parse(observation!.Json).RootElement;
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.Equal("2026-11-21T17:00:00.1000000Z", root.GetProperty("effectivePeriod").GetProperty("start").GetString());
        Assert.Equal("2026-11-21T17:00:00.9000000Z", root.GetProperty("effectivePeriod").GetProperty("end").GetString());
    }

    [Fact]
    public void An_Identifier_Hashed_Where_It_Was_Written_Gives_The_Id_Of_The_Whole_Text()
    {
        byte[] prefix = Encoding.UTF8.GetBytes(MappingNames.ServiceSystem + "_");
        var random = new Random(16);
        Span<byte> hex = stackalloc byte[64];
        for (int length = 0; length <= 200; length++)
        {
            byte[] identifier = new byte[length];
            random.NextBytes(identifier);
            string expected = Convert.ToHexStringLower(SHA256.HashData([.. prefix, .. identifier]));

            string id = DeterministicId.ForObservation(identifier, hex);

            Assert.Equal(expected, id);
            Assert.Equal(expected, Encoding.ASCII.GetString(hex));
        }
    }
}
