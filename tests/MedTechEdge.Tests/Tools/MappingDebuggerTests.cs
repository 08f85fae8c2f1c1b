using System.Text.Json;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Tools;

/// <summary>
/// <c>mappings debug</c> and <c>mappings validate</c> with the mappings MedTech users bring: Lookup mappings without a
/// patient id, IoT Hub envelopes, IoT Central exports, JMESPath values, arrays of messages.
/// </summary>
public sealed class MappingDebuggerTests : IDisposable
{
    // A scale that reports pounds; the JMESPath value converts to kilograms. No patientIdExpression: a Lookup mapping.
    internal const string ScaleMapping = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"CalculatedContent","template":{
            "typeName":"bodyweight","typeMatchExpression":"$..[?(@weightLbs)]",
            "deviceIdExpression":"$.matchedToken.device","timestampExpression":"$.matchedToken.time",
            "values":[{"valueName":"weight","required":true,
                       "valueExpression":{"value":"multiply(to_number(matchedToken.weightLbs), `0.4536`)","language":"JmesPath"}}]}}]}
        """;

    internal const string ScaleFhir = """
        {"templateType":"CollectionFhir","template":[
          {"templateType":"CodeValueFhir","template":{"typeName":"bodyweight",
            "codes":[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"}],
            "value":{"valueType":"Quantity","valueName":"weight","unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}}]}
        """;

    // Microsoft's IoT Hub sample shape: device id and time come from the envelope, not the body.
    private const string HubMapping = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"IotJsonPathContent","template":{"typeName":"heartrate","typeMatchExpression":"$..[?(@Body.HeartRate)]",
            "values":[{"required":"true","valueExpression":"$.Body.HeartRate","valueName":"hr"}]}}]}
        """;

    // An IoT Central data export: two telemetry types, the FHIR mapping below knows only one of them.
    private const string CentralMapping = """
        {"templateType":"CollectionContent","template":[
          {"templateType":"IotCentralJsonPathContent","template":{"typeName":"bloodpressure",
            "typeMatchExpression":"$..[?(@telemetry.BloodPressure.Diastolic && @telemetry.BloodPressure.Systolic)]",
            "values":[{"required":"true","valueExpression":"$.telemetry.BloodPressure.Diastolic","valueName":"diastolic"},
                      {"required":"true","valueExpression":"$.telemetry.BloodPressure.Systolic","valueName":"systolic"}]}},
          {"templateType":"IotCentralJsonPathContent","template":{"typeName":"activity","typeMatchExpression":"$..[?(@telemetry.Activity)]",
            "values":[{"required":"true","valueExpression":"$.telemetry.Activity","valueName":"activity"}]}}]}
        """;

    private const string CentralExport = """
        {"applicationId":"1dffa667-9bee-4f16-b243-25ad4151475e","messageSource":"telemetry","deviceId":"central-7",
         "schema":"default@v1","templateId":"urn:qugj6vbw5:___qbj_27r","enqueuedTime":"2026-11-21T10:00:00.000Z",
         "telemetry":{"Activity":"running","BloodPressure":{"Diastolic":80,"Systolic":120}},
         "messageProperties":{"messageProp":"value"},"enrichments":{"userSpecifiedKey":"sampleValue"}}
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-debugger-" + Guid.NewGuid().ToString("N"));
    private readonly string _fhir;

    public MappingDebuggerTests()
    {
        Directory.CreateDirectory(_folder);
        _fhir = Path.Combine(AppContext.BaseDirectory, "mappings", "fhirmapping.json");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static async Task<(int Exit, JsonElement Out, string Err)> RunAsync(params string[] args)
    {
        (int exit, string output, string error) = await ModuleCommand.RunInProcessAsync(string.Empty, args);
        return (exit, output.Length == 0 ? default : JsonDocument.Parse(output).RootElement.Clone(), error);
    }

    internal static string Write(string folder, string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Write(string name, string content) => Write(_folder, name, content);

    private string ScaleMessages() => Write("scale.json", """
        [{"device":"scale-1","time":"2026-11-21T07:00:00Z","weightLbs":"150"},
         {"device":"scale-2","time":"2026-11-21T07:05:00Z","weightLbs":"180"}]
        """);

    [Fact]
    public async Task Lookup_Without_A_Patient_Id_Shows_Observations_With_Placeholders_And_The_Searches_It_Would_Make()
    {
        (int exit, JsonElement result, string errors) = await RunAsync(
            "mappings", "debug", "--device", Write("scale-device.json", ScaleMapping), "--fhir", Write("scale-fhir.json", ScaleFhir),
            "--message", ScaleMessages(), "--resolution-type", "Lookup");

        Assert.True(exit == 0, errors);
        Assert.Equal("Lookup", result.GetProperty("resolutionType").GetString());
        Assert.Equal(2, result.GetProperty("measurements").GetArrayLength());
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());

        JsonElement identity = result.GetProperty("identities")[0];
        Assert.Equal("scale-1", identity.GetProperty("deviceId").GetString());
        Assert.Equal("placeholder", identity.GetProperty("source").GetString());
        Assert.Equal("GET Device?identifier=scale-1&_count=2", Assert.Single(identity.GetProperty("requests").EnumerateArray()).GetString());

        JsonElement[] observations = [.. result.GetProperty("observations").EnumerateArray()];
        Assert.Equal(2, observations.Length);
        JsonElement first = observations.Single(o => o.GetProperty("device").GetProperty("reference").GetString()!.Contains("scale-1", StringComparison.Ordinal));
        Assert.Equal("Patient/(patient of Device identifier scale-1)", first.GetProperty("subject").GetProperty("reference").GetString());
        Assert.Equal("Device/(Device identifier scale-1)", first.GetProperty("device").GetProperty("reference").GetString());
        // 150 lb through the JMESPath value.
        Assert.Equal(68.04m, first.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Create_Mode_Fails_Each_Measurement_Without_A_Patient_Id_And_Still_Shows_It_With_Its_Error()
    {
        (int exit, JsonElement result, string errors) = await RunAsync(
            "mappings", "debug", "--device", Write("scale-device.json", ScaleMapping), "--fhir", Write("scale-fhir.json", ScaleFhir),
            "--message", ScaleMessages(), "--resolution-type", "create");

        Assert.Equal(1, exit);
        JsonElement[] measurements = [.. result.GetProperty("measurements").EnumerateArray()];
        Assert.Equal(2, measurements.Length);
        Assert.All(measurements, m => Assert.Equal("PatientIdentityNotDefinedException", m.GetProperty("error").GetProperty("kind").GetString()));
        Assert.Equal(1, measurements[1].GetProperty("message").GetInt32());
        Assert.Equal("68.04", measurements[0].GetProperty("properties")[0].GetProperty("value").GetString());
        Assert.Equal(0, result.GetProperty("observations").GetArrayLength());
        Assert.Contains("message 1, measurement 0: PatientIdentityNotDefinedException", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Device_Mapping_Alone_Shows_The_Measurements_Only()
    {
        (int exit, JsonElement result, string errors) = await RunAsync(
            "mappings", "debug", "--device", Write("scale-device.json", ScaleMapping), "--message", ScaleMessages());

        Assert.True(exit == 0, errors);
        Assert.Equal(2, result.GetProperty("measurements").GetArrayLength());
        Assert.Equal("scale-2", result.GetProperty("measurements")[1].GetProperty("deviceId").GetString());
        Assert.Equal(0, result.GetProperty("observations").GetArrayLength());
        Assert.Equal(0, result.GetProperty("identities").GetArrayLength());
    }

    [Fact]
    public async Task The_Default_Resolution_Type_And_Device_System_Are_The_Modules_Configured_Ones()
    {
        string device = Write("hub-device.json", HubMapping);
        string message = Write("hub-message.json", """{"HeartRate":78}""");
        string[] envelope =
        [
            "--properties", """{"iothub-creation-time-utc":"2026-11-21T10:00:00Z"}""",
            "--system-properties", """{"iothub-connection-device-id":"hub-dev-1"}""",
        ];

        // appsettings.json says Create: an IoT Hub mapping never has a patient id.
        (int exit, JsonElement result, _) = await RunAsync(["mappings", "debug", "--device", device, "--fhir", _fhir, "--message", message, .. envelope]);
        Assert.Equal(1, exit);
        Assert.Equal("Create", result.GetProperty("resolutionType").GetString());

        (exit, result, string errors) = await RunAsync(
        [
            "mappings", "debug", "--device", device, "--fhir", _fhir, "--message", message, .. envelope,
            "--MedTechEdge:Pipeline:ResolutionType=Lookup", "--MedTechEdge:Pipeline:DefaultDeviceIdentifierSystem=urn:hospital:devices",
        ]);
        Assert.True(exit == 0, errors);
        Assert.Equal("Lookup", result.GetProperty("resolutionType").GetString());
        JsonElement identity = Assert.Single(result.GetProperty("identities").EnumerateArray());
        // The system joins the token, escaped as the module sends it.
        Assert.Equal("GET Device?identifier=urn%3Ahospital%3Adevices%7Chub-dev-1&_count=2", identity.GetProperty("requests")[0].GetString());
        Assert.Equal(78, result.GetProperty("observations")[0].GetProperty("valueQuantity").GetProperty("value").GetInt32());

        // LookupWithEncounter needs an encounter id the hub mapping does not extract.
        (exit, result, _) = await RunAsync(["mappings", "debug", "--device", device, "--fhir", _fhir, "--message", message, .. envelope, "--resolution-type", "LookupWithEncounter"]);
        Assert.Equal(1, exit);
        Assert.Equal("EncounterIdentityNotDefinedException", result.GetProperty("measurements")[0].GetProperty("error").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_Iot_Central_Export_Shows_Every_Measurement_With_The_Error_Next_To_The_One_Without_A_Fhir_Template()
    {
        (int exit, JsonElement result, string errors) = await RunAsync(
            "mappings", "debug", "--device", Write("central.json", CentralMapping), "--fhir", _fhir,
            "--message", Write("export.json", CentralExport), "--resolution-type", "Lookup");

        Assert.Equal(1, exit);
        JsonElement[] measurements = [.. result.GetProperty("measurements").EnumerateArray()];
        Assert.Equal(2, measurements.Length);
        JsonElement pressure = measurements.Single(m => m.GetProperty("type").GetString() == "bloodpressure");
        Assert.False(pressure.TryGetProperty("error", out _));
        Assert.Equal("central-7", pressure.GetProperty("deviceId").GetString());
        JsonElement activity = measurements.Single(m => m.GetProperty("type").GetString() == "activity");
        Assert.Equal("FhirTransformError", activity.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("No FHIR template for type 'activity'", activity.GetProperty("error").GetProperty("error").GetString(), StringComparison.Ordinal);
        // The module dead-letters the message as a whole, so it writes no Observation for it; neither does the debugger.
        Assert.Equal(0, result.GetProperty("observations").GetArrayLength());
        Assert.Contains("FhirTransformError", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Filter_Json_Net_Cannot_Compare_Is_A_Normalization_Error_Naming_The_Expression_And_The_Others_Still_Map()
    {
        string device = Write("flag.json", """
            {"templateType":"CollectionContent","template":[
              {"templateType":"CalculatedContent","template":{"typeName":"bodyweight","typeMatchExpression":"$..[?(@weightLbs && @valid > false)]",
                "deviceIdExpression":"$.matchedToken.device","timestampExpression":"$.matchedToken.time",
                "values":[{"valueName":"weight","valueExpression":"$.matchedToken.weightLbs","required":true}]}}]}
            """);
        string messages = Write("flags.json", """
            [{"device":"scale-1","time":"2026-11-21T07:00:00Z","weightLbs":150,"valid":"yes"},
             {"device":"scale-1","time":"2026-11-21T07:01:00Z","weightLbs":151,"valid":true}]
            """);

        (int exit, JsonElement result, string errors) = await RunAsync("mappings", "debug", "--device", device, "--message", messages);

        Assert.Equal(1, exit);
        JsonElement error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal(0, error.GetProperty("message").GetInt32());
        Assert.Equal("NormalizationError", error.GetProperty("kind").GetString());
        Assert.Contains("Template 'bodyweight': Unable to evaluate expression $..[?(@weightLbs && @valid > false)]", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("151", Assert.Single(result.GetProperty("measurements").EnumerateArray()).GetProperty("properties")[0].GetProperty("value").GetString());
        Assert.Contains("\"yes\" > false", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Bad_Resolution_Type_Or_Fhir_Url_Is_A_Usage_Error()
    {
        string device = Write("scale-device.json", ScaleMapping);
        // The parser knows the three values: a usage error (exit 2) that names them.
        (int exit, _, string errors) = await RunAsync("mappings", "debug", "--device", device, "--message", ScaleMessages(), "--resolution-type", "Guess");
        Assert.Equal(2, exit);
        Assert.Contains("Guess", errors, StringComparison.Ordinal);
        Assert.Contains("LookupWithEncounter", errors, StringComparison.Ordinal);

        (exit, _, errors) = await RunAsync("mappings", "debug", "--device", device, "--message", ScaleMessages(), "--fhir-url", "not a url");
        Assert.Equal(1, exit);
        Assert.Contains("--fhir-url", errors, StringComparison.Ordinal);

        // Create mode would write to the server: the URL is not used, and the debugger says so.
        (exit, _, errors) = await RunAsync("mappings", "debug", "--device", device, "--message", ScaleMessages(), "--resolution-type", "Create", "--fhir-url", "http://127.0.0.1:9/fhir/");
        Assert.Equal(0, exit);
        Assert.Contains("Lookup modes only", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Takes_A_Device_Mapping_Alone_And_Warns_What_The_Resolution_Type_Needs()
    {
        string device = Write("scale-device.json", ScaleMapping);
        string fhir = Write("scale-fhir.json", ScaleFhir);

        (int exit, JsonElement result, _) = await RunAsync("mappings", "validate", "--device", device);
        Assert.Equal(0, exit);
        Assert.True(result.GetProperty("valid").GetBoolean());

        (exit, result, _) = await RunAsync("mappings", "validate", "--device", device, "--fhir", fhir, "--resolution-type", "Lookup");
        Assert.Equal(0, exit);
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());

        (exit, result, string errors) = await RunAsync("mappings", "validate", "--device", device, "--fhir", fhir, "--resolution-type", "Create");
        Assert.Equal(0, exit);
        JsonElement warning = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal("WARN", warning.GetProperty("level").GetString());
        Assert.Contains("no patientIdExpression", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, warning.GetProperty("line").GetInt32());
        Assert.Contains("PatientIdentityNotDefined", errors, StringComparison.Ordinal);
    }
}
