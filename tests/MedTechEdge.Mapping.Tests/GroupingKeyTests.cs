using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

/// <summary>The grouping key compares each identity on its own (medtech-semantics §4).</summary>
public sealed class GroupingKeyTests
{
    private static readonly FhirMapping s_mapping = FhirMapping.Load("""
        {"templateType":"CollectionFhir","template":[{"templateType":"CodeValueFhir","template":{
          "typeName":"hr","codes":[{"code":"8867-4","system":"http://loinc.org"}],
          "value":{"valueType":"Quantity","valueName":"hr","unit":"count/min"}}}]}
        """);

    private static Measurement Hr(string? patient, string? encounter, string value) => new()
    {
        Type = "hr",
        OccurrenceTimeUtc = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc),
        DeviceId = "bed-monitor-1",
        PatientId = patient,
        EncounterId = encounter,
        Properties = { new MeasurementProperty("hr", value) },
    };

    [Fact]
    public void Ids_That_Join_To_The_Same_Text_Stay_In_Separate_Groups()
    {
        MeasurementGrouping grouping = s_mapping.CreateGrouping();
        // Joined with "-", as MedTech keys its groups, both read "bed-monitor-1-hr-p-e--".
        Assert.Null(grouping.Add(Hr("p-e", null, "70")));
        Assert.Null(grouping.Add(Hr("p", "e", "120")));

        Assert.Equal(2, grouping.Count);
        var byPatient = new Dictionary<string, ObservationGroup>();
        foreach (ObservationGroup group in grouping.Groups)
        {
            byPatient.Add(group.PatientId!, group);
        }

        Assert.Null(byPatient["p-e"].EncounterId);
        Assert.Equal("e", byPatient["p"].EncounterId);
    }

    [Fact]
    public void The_Same_Identities_Share_A_Group()
    {
        MeasurementGrouping grouping = s_mapping.CreateGrouping();
        Assert.Null(grouping.Add(Hr("p", "e", "70")));
        Assert.Null(grouping.Add(Hr("p", "e", "71")));

        Assert.Equal(1, grouping.Count);
    }
}
