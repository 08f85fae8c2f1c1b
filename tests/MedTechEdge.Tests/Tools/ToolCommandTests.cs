using System.Text.Json;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Tools;

public sealed class ToolCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-tools-" + Guid.NewGuid().ToString("N"));
    private readonly string _device;
    private readonly string _fhir;

    public ToolCommandTests()
    {
        Directory.CreateDirectory(_folder);
        string mappings = Path.Combine(AppContext.BaseDirectory, "mappings");
        _device = Path.Combine(mappings, "devicecontent.json");
        _fhir = Path.Combine(mappings, "fhirmapping.json");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<(int Exit, string Out, string Err)> RunAsync(string stdin, params string[] args) => ModuleCommand.RunInProcessAsync(stdin, args);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Validate_Accepts_The_Bundled_Mappings()
    {
        (int exit, string output, _) = await RunAsync(string.Empty, "mappings", "validate", "--device", _device, "--fhir", _fhir);

        Assert.Equal(0, exit);
        JsonElement result = JsonDocument.Parse(output).RootElement;
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Validate_Lists_Errors_With_Line_And_Warns_About_Types_Without_A_Fhir_Template()
    {
        string device = Write("device.json", """
            {"templateType":"CollectionContent","template":[
              {"templateType":"CalculatedContent","template":{"typeName":"steps","typeMatchExpression":"$..[?(@steps)]",
               "deviceIdExpression":"$.matchedToken.d","timestampExpression":"$.matchedToken.t",
               "values":[{"valueName":"count","valueExpression":"$.matchedToken.steps"}]}}]}
            """);
        string badFhir = Write("bad.json", "{\"templateType\":\"CollectionFhir\",\"template\":[\n {\"templateType\":\"CodeValueFhir\",\"template\":{\"typeName\":\"x\",\"codes\":[],\"periodInterval\":7}}]}");

        (int exit, string output, string errors) = await RunAsync(string.Empty, "mappings", "validate", "--device", device, "--fhir", badFhir);
        Assert.Equal(1, exit);
        JsonElement error = JsonDocument.Parse(output).RootElement.GetProperty("errors")[0];
        Assert.Equal("FHIRTRANSFORMATION", error.GetProperty("category").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Contains("Unsupported periodInterval", errors, StringComparison.Ordinal);

        (exit, output, _) = await RunAsync(string.Empty, "mappings", "validate", "--device", device, "--fhir", _fhir);
        Assert.Equal(0, exit);
        JsonElement warning = JsonDocument.Parse(output).RootElement.GetProperty("errors")[0];
        Assert.Equal("WARN", warning.GetProperty("level").GetString());
        Assert.Contains("No FHIR template for device type 'steps'", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, warning.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Debug_Prints_Measurements_And_Observations_For_A_Message()
    {
        string message = Write("message.json", """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T17:00:00Z","heartRate":72}""");

        (int exit, string output, string errors) = await RunAsync(string.Empty, "mappings", "debug", "--device", _device, "--fhir", _fhir, "--message", message);

        Assert.True(exit == 0, errors);
        JsonElement result = JsonDocument.Parse(output).RootElement;
        JsonElement measurement = Assert.Single(result.GetProperty("measurements").EnumerateArray());
        Assert.Equal("heartrate", measurement.GetProperty("type").GetString());
        Assert.Equal("72", measurement.GetProperty("properties")[0].GetProperty("value").GetString());
        JsonElement observation = Assert.Single(result.GetProperty("observations").EnumerateArray());
        Assert.Equal(72m, observation.GetProperty("valueQuantity").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Debug_Reports_A_Bad_Message_On_Stderr_With_A_Non_Zero_Exit()
    {
        string message = Write("messages.json", """[{"deviceId":"d1","patientId":"p","measurementTime":"2026-11-21T17:00:00Z","heartRate":72},{"deviceId":"d1","heartRate":70}]""");

        (int exit, string output, string errors) = await RunAsync(string.Empty, "mappings", "debug", "--device", _device, "--fhir", _fhir, "--message", message);

        Assert.Equal(1, exit);
        Assert.Contains("message 1:", errors, StringComparison.Ordinal);
        Assert.Contains("[TimestampExpression]", errors, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("observations").EnumerateArray());
    }

    [Fact]
    public async Task JsonPath_Reports_A_Comparison_Json_Net_Cannot_Convert_As_An_Error()
    {
        (int exit, string output, string errors) = await RunAsync("""[{"hr":"high"},{"hr":80}]""", "jsonpath", "$[?(@.hr > 70)]");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("cannot compare \"high\" > 70", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("medtech", "$..[?(@hr)]", 2)]
    [InlineData("rfc9535", "$..[?@.hr]", 2)]
    public async Task JsonPath_Prints_The_Node_List(string dialect, string expression, int count)
    {
        (int exit, string output, _) = await RunAsync("""{"a":[{"hr":1},{"hr":2}]}""", "jsonpath", expression, "--dialect", dialect);
        Assert.Equal(0, exit);
        Assert.Equal(count, JsonDocument.Parse(output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task JsonPath_Syntax_Error_Points_At_The_Position()
    {
        (int exit, _, string errors) = await RunAsync("{}", "jsonpath", "$..[?(@hr >)]");
        Assert.Equal(1, exit);
        Assert.Contains("position 11", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JmesPath_Evaluates_With_The_MedTech_Functions()
    {
        (int exit, string output, _) = await RunAsync("""{"h":"78"}""", "jmespath", "multiply(to_number(h), `0.0254`)");
        Assert.Equal(0, exit);
        Assert.Equal(1.9812, JsonDocument.Parse(output).RootElement.GetDouble(), 10);
    }

    [Fact]
    public async Task Unknown_Command_Prints_Usage()
    {
        // A usage error is exit code 2 since the move to System.CommandLine (issue 14); 1 means the tool found a problem.
        (int exit, _, string errors) = await RunAsync(string.Empty, "mappings", "frobnicate");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Usage:", errors, StringComparison.Ordinal);
    }
}
