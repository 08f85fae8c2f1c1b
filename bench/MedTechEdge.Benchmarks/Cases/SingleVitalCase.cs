using System.Text;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// (a) One heart-rate reading with a one-template CalculatedContent mapping.
/// Path: DeviceEnvelope over a 90-byte body; one <c>$..[?(@heartRate)]</c> descendant scan over the
/// whole envelope (the root itself matches: Json.NET tests the start node); four
/// <c>$.matchedToken.x</c> single-value lookups; integer to text; one ISO-8601 timestamp parse.
/// </summary>
internal static class SingleVitalCase
{
    public const string Name = "single-vital";

    public static BenchmarkCase Create() => new()
    {
        Name = Name,
        DeviceMappingJson = """
            {"templateType":"CollectionContent","template":[
              {"templateType":"CalculatedContent","template":{
                "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate)]",
                "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.measurementTime",
                "patientIdExpression":"$.matchedToken.patientId",
                "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate","required":true}]}}]}
            """,
        FhirMappingJson = VitalsFhirMapping.Json,
        Body = Encoding.UTF8.GetBytes("""{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72}"""),
        PropertiesJson = MqttProperties.None,
        SystemPropertiesJson = MqttProperties.System,
        ExpectedMeasurements = 1,
    };
}
