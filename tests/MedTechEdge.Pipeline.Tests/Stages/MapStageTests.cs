using System.Text;
using System.Text.Json;
using MedTechEdge.Pipeline.Stages;

namespace MedTechEdge.Pipeline.Tests.Stages;

public sealed class MapStageTests
{
    internal const string Good = """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72}""";

    [Fact]
    public async Task Poison_Messages_Become_Dead_Letters_With_Their_Reason_And_Good_Ones_Around_Them_Are_Mapped()
    {
        using var harness = new PipelineHarness();
        await harness.AppendAsync(
            Good,
            "not json",
            """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:01Z","heartRate":"fast"}""",
            """{"deviceId":"d1","measurementTime":"2026-11-21T17:00:02Z","heartRate":70}""",
            """{"deviceId":"d1","patientId":"p1","heartRate":70}""",
            Good.Replace("17:00:00", "17:00:05", StringComparison.Ordinal));
        MapStage map = harness.Map();

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);

        Assert.Equal(
            // A missing patient id in Create mode is the service's PatientIdentityNotDefinedException, not a transform error.
            ["InvalidDeviceMessage", "FhirTransformError", "PatientIdentityNotDefinedException", "NormalizationError"],
            harness.DeadLetters().ConvertAll(l => l.KindName));
        Assert.Contains("Error encountered processing value: fast", harness.DeadLetters()[1].Error, StringComparison.Ordinal);
        Assert.Contains("PatientIdentityNotDefined", harness.DeadLetters()[2].Error, StringComparison.Ordinal);
        Assert.Contains("[TimestampExpression]", harness.DeadLetters()[3].Error, StringComparison.Ordinal);
        Assert.Equal("not json", Encoding.UTF8.GetString(harness.DeadLetters()[0].Message.Body));

        // Patient and Device once, then one Observation per good message.
        Assert.Equal(["Patient", "Device", "Observation", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
        Assert.Equal(4, map.DeadLetteredCount);
        Assert.Equal(6, map.MappedCount);
    }

    [Fact]
    public async Task A_Filter_Comparison_Json_Net_Cannot_Convert_Is_A_Normalization_Dead_Letter_Naming_The_Expression()
    {
        using var harness = new PipelineHarness();
        // MedTech's SelectTokens threw FormatException on "yes" > false and the message failed normalization.
        harness.DeviceMapping = Mapping.DeviceMapping.Load("""
            {"templateType":"CollectionContent","template":[
              {"templateType":"CalculatedContent","template":{"typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate && @valid > false)]",
                "deviceIdExpression":"$.matchedToken.deviceId","patientIdExpression":"$.matchedToken.patientId",
                "timestampExpression":"$.matchedToken.measurementTime",
                "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate","required":true}]}}]}
            """);
        await harness.AppendAsync(
            """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72,"valid":"yes"}""",
            """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:01Z","heartRate":73,"valid":true}""");
        MapStage map = harness.Map();

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Inbox == 0, "the inbox to drain");
        await map.StopAsync(CancellationToken.None);

        Storage.DeadLetter letter = Assert.Single(harness.DeadLetters());
        Assert.Equal(Storage.DeadLetterKind.NormalizationError, letter.Kind);
        Assert.StartsWith("Template 'heartrate': Unable to evaluate expression $..[?(@heartRate && @valid > false)]", letter.Error, StringComparison.Ordinal);
        Assert.Contains("\"yes\" > false", letter.Error, StringComparison.Ordinal);
        Assert.Equal(["Patient", "Device", "Observation"], harness.Outbox().ConvertAll(r => r.ResourceType));
    }

    [Fact]
    public async Task Outbox_Rows_Carry_The_Device_And_The_Deterministic_Id_Of_The_Resource()
    {
        using var harness = new PipelineHarness();
        await harness.AppendAsync(Good);
        MapStage map = harness.Map();

        await map.StartAsync(CancellationToken.None);
        await PipelineHarness.WaitAsync(() => harness.Counts().Outbox == 3, "three outbox rows");
        await map.StopAsync(CancellationToken.None);

        var observation = harness.Outbox()[2];
        Assert.Equal("d1", observation.DeviceId);
        Assert.Equal(JsonDocument.Parse(observation.Body).RootElement.GetProperty("id").GetString(), observation.ResourceId);
        Assert.Equal(64, observation.ResourceId.Length);
    }
}
