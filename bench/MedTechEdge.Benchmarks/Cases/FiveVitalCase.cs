using System.Text;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// (b) A bedside monitor's message carrying five vitals, projected by five CalculatedContent templates
/// into five measurements (blood pressure is one measurement with two values).
/// Path: five descendant scans of the envelope, one per template, each with a different filter
/// (including <c>&amp;&amp;</c>); 20 <c>$.matchedToken.x</c> lookups plus six values; integers and one
/// float (<c>37.2</c>) to text; five timestamp parses.
/// </summary>
internal static class FiveVitalCase
{
    public const string Name = "five-vital";

    public static BenchmarkCase Create() => new()
    {
        Name = Name,
        DeviceMappingJson = $$$"""
            {"templateType":"CollectionContent","template":[
              {{{Template("heartrate", "@heartRate", Value("hr", "heartRate"))}}},
              {{{Template("spo2", "@spo2", Value("spo2", "spo2"))}}},
              {{{Template("respiratoryrate", "@respiratoryRate", Value("rr", "respiratoryRate"))}}},
              {{{Template("bodytemperature", "@temperature", Value("temperature", "temperature"))}}},
              {{{Template("bloodpressure", "@systolic && @diastolic", Value("systolic", "systolic") + "," + Value("diastolic", "diastolic"))}}}]}
            """,
        FhirMappingJson = VitalsFhirMapping.Json,
        Body = Encoding.UTF8.GetBytes("""
            {"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00.123Z","heartRate":72,"spo2":98,"respiratoryRate":16,"temperature":37.2,"systolic":120,"diastolic":80}
            """),
        PropertiesJson = MqttProperties.None,
        SystemPropertiesJson = MqttProperties.System,
        ExpectedMeasurements = 5,
    };

    private static string Template(string typeName, string filter, string values) => $$$"""
        {"templateType":"CalculatedContent","template":{
          "typeName":"{{{typeName}}}","typeMatchExpression":"$..[?({{{filter}}})]",
          "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.measurementTime",
          "patientIdExpression":"$.matchedToken.patientId","values":[{{{values}}}]}}
        """;

    private static string Value(string valueName, string member) =>
        $$$"""{"valueName":"{{{valueName}}}","valueExpression":"$.matchedToken.{{{member}}}","required":true}""";
}
