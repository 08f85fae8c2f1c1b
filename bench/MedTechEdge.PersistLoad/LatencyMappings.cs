namespace MedTechEdge.PersistLoad;

/// <summary>
/// The mappings of the SampledData case, written to the case's folder and given to the module: the bundled heart rate
/// (point in time) and a <c>wave</c> reading into an hourly SampledData window (medtech-semantics §4, §7.2), both from
/// one message body, each with its own time.
/// </summary>
internal static class LatencyMappings
{
    public const string Device = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"CalculatedContent","template":{
            "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate)]",
            "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.measurementTime",
            "patientIdExpression":"$.matchedToken.patientId",
            "values":[{"valueName":"hr","valueExpression":"$.matchedToken.heartRate","required":true}]}},
          {"templateType":"CalculatedContent","template":{
            "typeName":"wave","typeMatchExpression":"$..[?(@wave)]",
            "deviceIdExpression":"$.matchedToken.deviceId","timestampExpression":"$.matchedToken.waveTime",
            "patientIdExpression":"$.matchedToken.patientId",
            "values":[{"valueName":"mv","valueExpression":"$.matchedToken.wave","required":true}]}}]}
        """;

    public const string Fhir = """
        {"templateType":"CollectionFhir","template":[
          {"templateType":"CodeValueFhir","template":{
            "typeName":"heartrate","codes":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],
            "value":{"valueType":"Quantity","valueName":"hr","unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}},
          {"templateType":"CodeValueFhir","template":{
            "typeName":"wave","periodInterval":60,"codes":[{"system":"http://loinc.org","code":"131328"}],
            "value":{"valueType":"SampledData","valueName":"mv","defaultPeriod":1000,"unit":"mV"}}}]}
        """;

    /// <summary>Writes both files to <paramref name="folder"/> and returns the module's settings naming them.</summary>
    public static string[] Write(string folder)
    {
        Directory.CreateDirectory(folder);
        string device = Path.Combine(folder, "devicecontent.json");
        string fhir = Path.Combine(folder, "fhirmapping.json");
        File.WriteAllText(device, Device);
        File.WriteAllText(fhir, Fhir);
        return ["--MedTechEdge:Mappings:Device=" + device, "--MedTechEdge:Mappings:Fhir=" + fhir];
    }
}
