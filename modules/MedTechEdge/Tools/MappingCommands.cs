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

        var measurements = new List<Measurement>();
        var errors = new List<(int Message, string Error)>();
        var references = new Dictionary<(string, string?), ResourceReferences>();
        MeasurementGrouping grouping = fhir!.CreateGrouping();
        for (int i = 0; i < bodies.Count; i++)
        {
            int before = measurements.Count;
            string? error = Normalize(device!, bodies[i], properties, systemProperties, measurements);
            for (int m = before; error is null && m < measurements.Count; m++)
            {
                Measurement measurement = measurements[m];
                // Identities as Create mode derives them, so ids match what the module would write.
                error = string.IsNullOrWhiteSpace(measurement.PatientId)
                    ? "PatientIdentityNotDefined: the device mapping extracted no patient id."
                    : fhir.Check(measurement);
                if (error is null)
                {
                    references[(measurement.DeviceId, measurement.PatientId)] = new ResourceReferences(
                        DeterministicId.ForPatient(measurement.PatientId!), DeterministicId.ForDevice(measurement.DeviceId));
                    grouping.Add(measurement);
                }
            }

            if (error is not null)
            {
                errors.Add((i, error));
            }
        }

        var observations = new List<FhirResource>();
        foreach (ObservationGroup group in grouping.Groups)
        {
            if (fhir.CreateObservation(group, references[(group.DeviceId, group.PatientId)], DateTime.UtcNow, out FhirResource? observation) is null)
            {
                observations.Add(observation!);
            }
        }

        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("measurements");
            foreach (Measurement measurement in measurements)
            {
                MeasurementJson.Write(writer, measurement);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("observations");
            foreach (FhirResource observation in observations)
            {
                writer.WriteRawValue(observation.Json);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("errors");
            foreach ((int message, string error) in errors)
            {
                writer.WriteStartObject();
                writer.WriteNumber("message", message);
                writer.WriteString("error", error);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        foreach ((int message, string error) in errors)
        {
            stderr.WriteLine($"message {message}: {error}");
        }

        return errors.Count == 0 ? 0 : 1;
    }

    private static string? Normalize(DeviceMapping device, string body, string properties, string systemProperties, List<Measurement> output)
    {
        if (!DeviceEnvelope.TryCreate(Encoding.UTF8.GetBytes(body), properties, systemProperties, out DeviceEnvelope? envelope, out string? error))
        {
            return error;
        }

        using (envelope)
        {
            return device.Normalize(envelope!, null, output);
        }
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
