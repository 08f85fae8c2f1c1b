using System.Text;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// (c) A message routed from IoT Hub: the device id and the creation time come from the envelope's
/// system and application properties, through two IotJsonPathContent templates (medtech-semantics §2.4).
/// Path: two <c>$..[?(@Body.x)]</c> scans over an envelope with a realistic IoT Hub SystemProperties
/// block (the root matches); evaluation relative to the match (no matchedToken); the fixed
/// <c>$.SystemProperties.iothub-connection-device-id</c> (hyphenated dot names) and
/// <c>$.Properties.iothub-creation-time-utc</c> expressions.
/// </summary>
internal static class IotHubCase
{
    public const string Name = "iothub-envelope";

    public static BenchmarkCase Create() => new()
    {
        Name = Name,
        DeviceMappingJson = $$$"""
            {"templateType":"CollectionContent","template":[{{{Template("heartrate", "hr", "heartRate")}}},{{{Template("spo2", "spo2", "spo2")}}}]}
            """,
        FhirMappingJson = VitalsFhirMapping.Json,
        Body = Encoding.UTF8.GetBytes("""{"patientId":"p1","heartRate":72,"spo2":98}"""),
        PropertiesJson = """{"iothub-creation-time-utc":"2026-11-21T17:00:00.123Z"}""",
        SystemPropertiesJson = """
            {"iothub-connection-device-id":"d1","iothub-connection-auth-method":"{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}","iothub-connection-auth-generation-id":"638680000000000000","iothub-enqueuedtime":"2026-11-21T17:00:00.4560000Z","iothub-message-source":"Telemetry","x-opt-sequence-number":1234,"x-opt-offset":"4294967296","x-opt-enqueued-time":"2026-11-21T17:00:00.4560000Z"}
            """,
        ExpectedMeasurements = 2,
    };

    private static string Template(string typeName, string valueName, string member) => $$$"""
        {"templateType":"IotJsonPathContent","template":{
          "typeName":"{{{typeName}}}","typeMatchExpression":"$..[?(@Body.{{{member}}})]","patientIdExpression":"$.Body.patientId",
          "values":[{"valueName":"{{{valueName}}}","valueExpression":"$.Body.{{{member}}}","required":true}]}}
        """;
}
