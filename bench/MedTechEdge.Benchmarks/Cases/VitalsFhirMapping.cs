namespace MedTechEdge.Benchmarks.Cases;

/// <summary>
/// The bundled sample FHIR mapping (modules/MedTechEdge/mappings/fhirmapping.json) plus respiratory
/// rate: Quantity values and a two-component blood pressure, every Observation with a category.
/// </summary>
internal static class VitalsFhirMapping
{
    public static readonly string Json = $$$"""
        {"templateType":"CollectionFhir","template":[
          {{{Quantity("heartrate", "8867-4", "Heart rate", "hr", "beats/minute", "/min")}}},
          {{{Quantity("spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "spo2", "%", "%")}}},
          {{{Quantity("respiratoryrate", "9279-1", "Respiratory rate", "rr", "breaths/minute", "/min")}}},
          {{{Quantity("bodytemperature", "8310-5", "Body temperature", "temperature", "Cel", "Cel")}}},
          {"templateType":"CodeValueFhir","template":{
            "typeName":"bloodpressure",{{{Category}}},
            "codes":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel with all children optional"}],
            "components":[
              {"codes":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}],
               "value":{"valueType":"Quantity","valueName":"systolic","unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
              {"codes":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}],
               "value":{"valueType":"Quantity","valueName":"diastolic","unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}}]}
        """;

    private const string Category = """
        "category":[{"text":"Vital Signs","codes":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"Vital Signs"}]}]
        """;

    private static string Quantity(string typeName, string loinc, string display, string valueName, string unit, string ucum) => $$$"""
        {"templateType":"CodeValueFhir","template":{
          "typeName":"{{{typeName}}}",{{{Category}}},
          "codes":[{"system":"http://loinc.org","code":"{{{loinc}}}","display":"{{{display}}}"}],
          "value":{"valueType":"Quantity","valueName":"{{{valueName}}}","unit":"{{{unit}}}","system":"http://unitsofmeasure.org","code":"{{{ucum}}}"}}
        }
        """;
}
