using System.Text.Json;

namespace MedTechEdge.Tests.EndToEnd;

public sealed class NdjsonSinkTests
{
    [Fact]
    public async Task Without_A_Fhir_Url_Observations_Are_Appended_As_Fhir_Ndjson_One_File_Per_Type()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();

        await module.PublishAsync("nd-1", """{"deviceId":"nd-1","patientId":"p-1","measurementTime":"2026-11-21T10:00:00Z","systolic":121,"diastolic":79}""");
        await module.PublishAsync("nd-1", """{"deviceId":"nd-1","patientId":"p-1","measurementTime":"2026-11-21T10:00:05Z","temperature":36.9}""");

        string observations = Path.Combine(module.NdjsonFolder, "Observation.ndjson");
        await Eventually.TrueAsync(() => File.Exists(observations) && File.ReadAllLines(observations).Length == 2, TimeSpan.FromSeconds(20), "two Observation lines");

        string[] lines = File.ReadAllLines(observations);
        JsonElement bp = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("85354-9", bp.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(121m, bp.GetProperty("component")[0].GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        JsonElement temperature = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal(36.9m, temperature.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
        Assert.EndsWith("\n", File.ReadAllText(observations), StringComparison.Ordinal);

        // The identities the Observations refer to are written too, ahead of them.
        Assert.Single(File.ReadAllLines(Path.Combine(module.NdjsonFolder, "Patient.ndjson")));
        Assert.Single(File.ReadAllLines(Path.Combine(module.NdjsonFolder, "Device.ndjson")));
    }
}
