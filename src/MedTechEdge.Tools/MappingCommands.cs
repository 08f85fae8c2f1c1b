using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Tools;

/// <summary><c>mappings validate</c> and <c>mappings debug</c>: the managed service's mapping debugger, offline.</summary>
internal static class MappingCommands
{
    public static int Validate(ToolArguments args, TextWriter stdout, TextWriter stderr)
    {
        string devicePath = args.Required("--device");
        string fhirPath = args.Required("--fhir");
        bool deviceOk = DeviceMapping.TryLoad(ToolArguments.ReadFile(devicePath), out DeviceMapping? device, out IReadOnlyList<TemplateError> deviceErrors);
        bool fhirOk = FhirMapping.TryLoad(ToolArguments.ReadFile(fhirPath), out FhirMapping? fhir, out IReadOnlyList<TemplateError> fhirErrors);
        var deviceAll = new List<TemplateError>(deviceErrors);
        if (deviceOk && fhirOk)
        {
            deviceAll.AddRange(MappingCrossCheck.Check(device!, fhir!));
        }

        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", deviceOk && fhirOk);
            writer.WriteStartArray("errors");
            WriteErrors(writer, devicePath, "NORMALIZATION", deviceAll);
            WriteErrors(writer, fhirPath, "FHIRTRANSFORMATION", fhirErrors);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        Report(stderr, devicePath, deviceAll);
        Report(stderr, fhirPath, fhirErrors);
        return deviceOk && fhirOk ? 0 : 1;
    }

    public static int Debug(ToolArguments args, TextWriter stdout, TextWriter stderr)
    {
        string devicePath = args.Required("--device");
        string fhirPath = args.Required("--fhir");
        bool deviceOk = DeviceMapping.TryLoad(ToolArguments.ReadFile(devicePath), out DeviceMapping? device, out IReadOnlyList<TemplateError> deviceErrors);
        bool fhirOk = FhirMapping.TryLoad(ToolArguments.ReadFile(fhirPath), out FhirMapping? fhir, out IReadOnlyList<TemplateError> fhirErrors);
        Report(stderr, devicePath, deviceErrors);
        Report(stderr, fhirPath, fhirErrors);
        if (!deviceOk || !fhirOk)
        {
            return 1;
        }

        string properties = JsonObjectOption(args, "--properties");
        string systemProperties = JsonObjectOption(args, "--system-properties");
        List<string> bodies = ReadMessages(ToolArguments.ReadFile(args.Required("--message")));

        List<(int Message, string Error)> errors = [];
        ToolJson.Print(stdout, writer => errors = MappingDebugger.Run(device!, fhir!, bodies, properties, systemProperties, writer));
        foreach ((int message, string error) in errors)
        {
            stderr.WriteLine($"message {message}: {error}");
        }

        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>One device message, or a JSON array of them (wrap an array body in another array: <c>[[...]]</c>).</summary>
    private static List<string> ReadMessages(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            var bodies = new List<string>();
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement message in document.RootElement.EnumerateArray())
                {
                    bodies.Add(message.GetRawText());
                }
            }
            else
            {
                bodies.Add(document.RootElement.GetRawText());
            }

            return bodies;
        }
        catch (JsonException ex)
        {
            throw new ToolUsageException("--message is not a JSON document: " + ex.Message);
        }
    }

    private static string JsonObjectOption(ToolArguments args, string name)
    {
        string? text = args.Option(name);
        if (text is null)
        {
            return "{}";
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.GetRawText() : throw new ToolUsageException(name + " must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ToolUsageException($"{name} is not JSON: {ex.Message}");
        }
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

    private static void Report(TextWriter stderr, string file, IReadOnlyList<TemplateError> errors)
    {
        foreach (TemplateError error in errors)
        {
            stderr.WriteLine($"{file}: {(error.IsWarning ? "warning" : "error")}: {error}");
        }
    }
}
