using System.Text.Json.Nodes;

namespace MedTechEdge.Mapping.Tests;

/// <summary>Device mappings of the shape the streaming plan compiles, and some it must decline.</summary>
internal static class StreamingMappings
{
    /// <summary>
    /// The bundled mapping's heart-rate template alone: the benchmark's <c>single-vital</c> mapping
    /// (bench/MedTechEdge.Benchmarks/Cases/SingleVitalCase.cs).
    /// </summary>
    public static readonly string SingleVital = BundledOnly("heartrate");

    /// <summary>The benchmark's <c>five-vital</c> mapping (one filter with <c>&amp;&amp;</c>).</summary>
    public static readonly string FiveVital = Collection(
        Calculated("heartrate", "@heartRate", Value("hr", "heartRate")),
        Calculated("spo2", "@spo2", Value("spo2", "spo2")),
        Calculated("respiratoryrate", "@respiratoryRate", Value("rr", "respiratoryRate")),
        Calculated("bodytemperature", "@temperature", Value("temperature", "temperature")),
        Calculated("bloodpressure", "@systolic && @diastolic", Value("systolic", "systolic") + "," + Value("diastolic", "diastolic")));

    /// <summary>
    /// Every optional header (correlation, encounter), <c>$.Body.x</c> paths, optional values, and a template whose
    /// header differs from the others'.
    /// </summary>
    public const string Headers = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"CalculatedContent","template":{
            "typeName":"glucose","typeMatchExpression":"$..[?(@glucose)]",
            "deviceIdExpression":"$.Body.deviceId","timestampExpression":"$.Body.measurementTime",
            "patientIdExpression":"$.matchedToken.patientId","encounterIdExpression":"$.matchedToken.encounterId",
            "correlationIdExpression":"$.matchedToken.session",
            "values":[{"valueName":"mgdl","valueExpression":"$.matchedToken.glucose","required":true},
                      {"valueName":"note","valueExpression":"$.matchedToken.note","required":false},
                      {"valueName":"flag","valueExpression":"$.Body.flag"}]}},
          {"templateType":"CalculatedContent","template":{
            "typeName":"steps","typeMatchExpression":"$..[?(@steps && @deviceId)]",
            "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.endTime",
            "values":[{"valueName":"steps","valueExpression":"$.matchedToken.steps","required":false}]}}]}
        """;

    /// <summary>A legacy JsonPathContent template: <c>$</c> is the match itself.</summary>
    public const string Legacy = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"JsonPathContent","template":{
            "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate)]",
            "deviceIdExpression":"$.deviceId","timestampExpression":"$.measurementTime","patientIdExpression":"$.patientId",
            "values":[{"valueName":"hr","valueExpression":"$.heartRate","required":true}]}}]}
        """;

    /// <summary>The bundled sample mapping: its ECG template (a JMESPath timestamp) is the plan's guard on <c>ecg</c>.</summary>
    public static string Bundled => MappingFixtures.BundledDeviceMapping;

    /// <summary>The bundled sample mapping's vital-sign templates (all but the ECG one).</summary>
    public static string BundledVitals() => BundledWithout("ecg");

    private static string BundledOnly(string typeName) => BundledFiltered(t => t == typeName);

    private static string BundledWithout(string typeName) => BundledFiltered(t => t != typeName);

    private static string BundledFiltered(Func<string?, bool> keep)
    {
        JsonNode root = JsonNode.Parse(MappingFixtures.BundledDeviceMapping)!;
        JsonArray templates = root["template"]!.AsArray();
        for (int i = templates.Count - 1; i >= 0; i--)
        {
            if (!keep((string?)templates[i]!["template"]!["typeName"]))
            {
                templates.RemoveAt(i);
            }
        }

        return root.ToJsonString();
    }

    /// <summary>Mappings the plan must leave to the JSONPath engine, each for a different reason.</summary>
    public static readonly (string Why, string Json)[] Declined =
    [
        ("a JMESPath type match", Collection("""
            {"templateType":"CalculatedContent","template":{"typeName":"hr","defaultExpressionLanguage":"JmesPath",
              "typeMatchExpression":"Body[?heartRate]","deviceIdExpression":"matchedToken.deviceId",
              "timestampExpression":"matchedToken.measurementTime","values":[{"valueName":"hr","valueExpression":"matchedToken.heartRate"}]}}
            """)),
        ("only guards: a JMESPath timestamp", Collection("""
            {"templateType":"CalculatedContent","template":{"typeName":"hr","typeMatchExpression":"$..[?(@heartRate)]",
              "deviceIdExpression":"$.matchedToken.deviceId",
              "timestampExpression":{"value":"matchedToken.measurementTime","language":"JmesPath"},
              "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate"}]}}
            """)),
        ("a nested filter path", Collection(Calculated("hr", "@vitals.heartRate", Value("hr", "vitals.heartRate")))),
        ("a comparison filter", CalculatedRaw("hr", "$..[?(@heartRate > 0)]", "$.matchedToken.deviceId", Value("hr", "heartRate"))),
        ("an or filter", CalculatedRaw("hr", "$..[?(@heartRate || @hr)]", "$.matchedToken.deviceId", Value("hr", "heartRate"))),
        ("a plain member type match", CalculatedRaw("hr", "$.Body", "$.matchedToken.deviceId", Value("hr", "heartRate"))),
        ("only guards: an array type match", CalculatedRaw("hr", "$.Body.readings[*]", "$.matchedToken.deviceId", Value("hr", "heartRate"))),
        ("only guards: a two-step value path", CalculatedRaw("hr", "$..[?(@heartRate)]", "$.matchedToken.device.id", Value("hr", "heartRate"))),
        ("a property-object value", CalculatedRaw("hr", "$..[?(@heartRate)]", "$.SystemProperties.iothub-connection-device-id", Value("hr", "heartRate"))),
        ("a filter on an envelope member", CalculatedRaw("hr", "$..[?(@Body)]", "$.matchedToken.deviceId", Value("hr", "heartRate"))),
        ("a bracketed name", CalculatedRaw("hr", "$..[?(@heartRate)]", "$.matchedToken['deviceId']", Value("hr", "heartRate"))),
        ("IotJsonPathContent (fixed property paths)", """
            {"templateType":"CollectionContent","template":[{"templateType":"IotJsonPathContent","template":{
              "typeName":"hr","typeMatchExpression":"$..[?(@Body.heartRate)]",
              "values":[{"valueName":"hr","valueExpression":"$.Body.heartRate","required":true}]}}]}
            """),
    ];

    private static string Collection(params string[] templates) =>
        """{"templateType":"CollectionContent","template":[""" + string.Join(",", templates) + "]}";

    private static string Calculated(string typeName, string filter, string values) => $$$"""
        {"templateType":"CalculatedContent","template":{
          "typeName":"{{{typeName}}}","typeMatchExpression":"$..[?({{{filter}}})]",
          "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.measurementTime",
          "patientIdExpression":"$.matchedToken.patientId","values":[{{{values}}}]}}
        """;

    private static string CalculatedRaw(string typeName, string typeMatch, string deviceId, string values) => Collection($$$"""
        {"templateType":"CalculatedContent","template":{
          "typeName":"{{{typeName}}}","typeMatchExpression":"{{{typeMatch}}}",
          "deviceIdExpression":"{{{deviceId}}}","timestampExpression":"$.matchedToken.measurementTime","values":[{{{values}}}]}}
        """);

    private static string Value(string valueName, string member) =>
        $$$"""{"valueName":"{{{valueName}}}","valueExpression":"$.matchedToken.{{{member}}}","required":true}""";
}
