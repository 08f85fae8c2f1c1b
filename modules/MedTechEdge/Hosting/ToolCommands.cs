using System.Text.Json;
using MedTechEdge.JsonPath;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;

namespace MedTechEdge.Hosting;

/// <summary>
/// Subcommands of the module executable for people writing mappings. Output is JSON on stdout;
/// errors are readable text on stderr with a non-zero exit code.
/// </summary>
internal static class ToolCommands
{
    private const string Usage = """
        usage:
          MedTechEdge mappings validate --device <file> --fhir <file>
          MedTechEdge jsonpath <expression> [--dialect medtech|rfc9535] < document.json
        """;

    private static readonly JsonWriterOptions s_indented = new() { Indented = true };

    public static bool IsToolCommand(string name) => name is "mappings" or "jsonpath";

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args[0] switch
            {
                "mappings" when args.Length > 1 && args[1] == "validate" => ValidateMappings(args, stdout, stderr),
                "jsonpath" => await JsonPathAsync(args, stdin, stdout, stderr).ConfigureAwait(false),
                _ => Fail(stderr, "unknown command.\n" + Usage),
            };
        }
        catch (ToolUsageException ex)
        {
            return Fail(stderr, ex.Message + "\n" + Usage);
        }
    }

    private static int ValidateMappings(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string devicePath = Option(args, "--device") ?? throw new ToolUsageException("--device <file> is required.");
        string fhirPath = Option(args, "--fhir") ?? throw new ToolUsageException("--fhir <file> is required.");
        bool deviceOk = DeviceMapping.TryLoad(ReadFile(devicePath), out _, out IReadOnlyList<TemplateError> deviceErrors);
        bool fhirOk = FhirMapping.TryLoad(ReadFile(fhirPath), out _, out IReadOnlyList<TemplateError> fhirErrors);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", deviceOk && fhirOk);
            writer.WriteStartArray("errors");
            WriteErrors(writer, devicePath, "NORMALIZATION", deviceErrors);
            WriteErrors(writer, fhirPath, "FHIRTRANSFORMATION", fhirErrors);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        foreach (TemplateError error in deviceErrors)
        {
            stderr.WriteLine($"{devicePath}: {(error.IsWarning ? "warning" : "error")}: {error}");
        }

        foreach (TemplateError error in fhirErrors)
        {
            stderr.WriteLine($"{fhirPath}: {(error.IsWarning ? "warning" : "error")}: {error}");
        }

        return deviceOk && fhirOk ? 0 : 1;
    }

    private static void WriteErrors(Utf8JsonWriter writer, string file, string category, IReadOnlyList<TemplateError> errors)
    {
        foreach (TemplateError error in errors)
        {
            writer.WriteStartObject();
            writer.WriteString("file", file);
            writer.WriteString("category", category);
            writer.WriteString("level", error.IsWarning ? "WARN" : "ERROR");
            writer.WriteNumber("line", error.Line);
            writer.WriteNumber("position", error.Position);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        }
    }

    private static async Task<int> JsonPathAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 2)
        {
            throw new ToolUsageException("jsonpath needs an expression.");
        }

        JsonPathDialect dialect = (Option(args, "--dialect") ?? "medtech").ToLowerInvariant() switch
        {
            "medtech" => JsonPathDialect.MedTech,
            "rfc9535" => JsonPathDialect.Rfc9535,
            string other => throw new ToolUsageException($"unknown dialect '{other}'; use medtech or rfc9535."),
        };
        JsonPathExpression path;
        try
        {
            path = JsonPathExpression.Parse(args[1], dialect);
        }
        catch (JsonPathException ex)
        {
            return Fail(stderr, ex.Message);
        }

        string input = await stdin.ReadToEndAsync().ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input);
        }
        catch (JsonException ex)
        {
            return Fail(stderr, "stdin is not a JSON document: " + ex.Message);
        }

        using (document)
        {
            var nodes = new List<JsonElement>();
            path.Select(document.RootElement, nodes);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, s_indented))
            {
                writer.WriteStartArray();
                foreach (JsonElement node in nodes)
                {
                    node.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            await stdout.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
        }

        return 0;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new ToolUsageException($"cannot read '{path}': {ex.Message}");
        }
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return 1;
    }

    private sealed class ToolUsageException(string message) : Exception(message);
}
