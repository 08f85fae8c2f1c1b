using System.Text;

namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// (d) An IoT Central data export: the body is an array of three export records, projected by two
/// IotCentralJsonPathContent templates into six measurements (medtech-semantics §2.4).
/// Path: two <c>$..[?(@telemetry.X)]</c> scans that descend into an array body and test a nested
/// member; device id and time from the fixed <c>$.deviceId</c> / <c>$.enqueuedTime</c>, relative to each
/// match; patient id from the enrichments.
/// </summary>
internal static class IotCentralCase
{
    public const string Name = "iotcentral-export";

    public static BenchmarkCase Create() => new()
    {
        Name = Name,
        DeviceMappingJson = $$$"""
            {"templateType":"CollectionContent","template":[{{{Template("heartrate", "hr", "HeartRate")}}},{{{Template("spo2", "spo2", "SpO2")}}}]}
            """,
        FhirMappingJson = VitalsFhirMapping.Json,
        Body = Encoding.UTF8.GetBytes("[" + Export("c1", "p1", 0, 72, 98) + "," + Export("c2", "p2", 1, 64, 97) + "," + Export("c3", "p3", 2, 88, 95) + "]"),
        PropertiesJson = MqttProperties.None,
        SystemPropertiesJson = MqttProperties.System,
        ExpectedMeasurements = 6,
    };

    private static string Template(string typeName, string valueName, string member) => $$$"""
        {"templateType":"IotCentralJsonPathContent","template":{
          "typeName":"{{{typeName}}}","typeMatchExpression":"$..[?(@telemetry.{{{member}}})]","patientIdExpression":"$.enrichments.patientId",
          "values":[{"valueName":"{{{valueName}}}","valueExpression":"$.telemetry.{{{member}}}","required":true}]}}
        """;

    private static string Export(string deviceId, string patientId, int second, int heartRate, int spo2) => $$$"""
        {"applicationId":"5782ed70-b703-4f13-bda3-1f5f0f5c678e","messageSource":"telemetry","deviceId":"{{{deviceId}}}","schema":"default@v1","templateId":"dtmi:medtech:vitals;1","enqueuedTime":"2026-11-21T17:00:0{{{second}}}.123Z","telemetry":{"HeartRate":{{{heartRate}}},"SpO2":{{{spo2}}}},"messageProperties":{},"enrichments":{"patientId":"{{{patientId}}}"}}
        """;
}
