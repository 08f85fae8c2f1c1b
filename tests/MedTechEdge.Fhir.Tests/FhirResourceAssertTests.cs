using MedTechEdge.TestPeers;
using Xunit.Sdk;

namespace MedTechEdge.Fhir.Tests;

/// <summary>The Firely referee catches broken resources, and names the resource and the problem when it does.</summary>
public sealed class FhirResourceAssertTests
{
    // An Observation shaped like the module's: identifier, code, references, an instant and a dateTime with seven
    // fractional digits, a Quantity.
    private const string Valid = """
        {"resourceType":"Observation","id":"obs-1","identifier":[{"system":"https://example.org/ids","value":"pat.dev.hr.1"}],
         "status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"hr"},
         "subject":{"reference":"Patient/pat"},"device":{"reference":"Device/dev"},
         "effectiveDateTime":"2026-11-21T10:00:00.0000000Z","issued":"2026-11-21T12:00:00.0000000Z",
         "valueQuantity":{"value":72,"unit":"count/min","system":"http://unitsofmeasure.org","code":"/min"}}
        """;

    [Fact]
    public void A_Valid_Observation_Passes()
    {
        Assert.Empty(FhirResourceAssert.Problems("""{"resourceType":"Device","status":"active"}"""u8, out _));
        FhirResourceAssert.Valid(Valid);
    }

    [Fact]
    public void A_Status_Outside_The_Required_Value_Set_Fails()
    {
        AssertRejected(Valid.Replace("\"final\"", "\"bogus\"", StringComparison.Ordinal), "Observation/obs-1", "bogus");
    }

    [Fact]
    public void An_Instant_Without_A_Time_Zone_Fails()
    {
        AssertRejected(Valid.Replace("\"2026-11-21T12:00:00.0000000Z\"", "\"2026-11-21T12:00:00\"", StringComparison.Ordinal), "Observation/obs-1", "2026-11-21T12:00:00");
    }

    [Fact]
    public void An_Unknown_Element_Fails()
    {
        AssertRejected(Valid.Replace("\"status\":", "\"heartRate\":72,\"status\":", StringComparison.Ordinal), "Observation/obs-1", "heartRate");
    }

    [Fact]
    public void An_Id_Of_65_Characters_Fails_And_64_Pass()
    {
        string id64 = new('a', 64);
        FhirResourceAssert.Valid(Valid.Replace("obs-1", id64, StringComparison.Ordinal));

        string id65 = new('a', 65);
        AssertRejected(Valid.Replace("obs-1", id65, StringComparison.Ordinal), "Observation/" + id65, id65);
    }

    [Fact]
    public void A_Missing_Required_Element_Fails()
    {
        AssertRejected(Valid.Replace("\"status\":\"final\",", "", StringComparison.Ordinal), "Observation/obs-1", "status");
    }

    [Fact]
    public void Every_Problem_Is_Listed()
    {
        string broken = Valid
            .Replace("\"final\"", "\"bogus\"", StringComparison.Ordinal)
            .Replace("\"status\":", "\"heartRate\":72,\"status\":", StringComparison.Ordinal);
        IReadOnlyList<string> problems = FhirResourceAssert.Problems(System.Text.Encoding.UTF8.GetBytes(broken), out string name);
        Assert.Equal("Observation/obs-1", name);
        Assert.Contains(problems, p => p.Contains("bogus", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("heartRate", StringComparison.Ordinal));
    }

    [Fact]
    public void Ndjson_Output_Is_Checked_Line_By_Line_Once()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("medtechedge-firely-");
        try
        {
            string fhir = Directory.CreateDirectory(Path.Combine(folder.FullName, "fhir")).FullName;
            string observations = Path.Combine(fhir, "Observation.ndjson");
            File.WriteAllText(observations, Valid.ReplaceLineEndings("") + "\n");
            // Not named after a resource type: device messages for replay, say, are not FHIR.
            File.WriteAllText(Path.Combine(fhir, "input.ndjson"), "{\"hr\":72}\n");
            long before = FhirResourceAssert.Checked;
            FhirResourceAssert.NdjsonValid(folder.FullName);
            Assert.True(FhirResourceAssert.Checked - before >= 1);

            // Only what was appended since is read again: a broken line, and a torn one the sink would cut off.
            File.AppendAllText(observations, Valid.ReplaceLineEndings("").Replace("\"final\"", "\"bogus\"", StringComparison.Ordinal) + "\n{\"resourceType\":\"Obs");
            XunitException failure = Assert.Throws<XunitException>(() => FhirResourceAssert.NdjsonValid(folder.FullName));
            Assert.Contains("Observation/obs-1", failure.Message, StringComparison.Ordinal);
            Assert.Contains("bogus", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("(not JSON)", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void AssertRejected(string json, string name, string detail)
    {
        XunitException failure = Assert.Throws<XunitException>(() => FhirResourceAssert.Valid(json));
        Assert.StartsWith(name + ":", failure.Message, StringComparison.Ordinal);
        Assert.Contains(detail, failure.Message, StringComparison.Ordinal);
    }
}
