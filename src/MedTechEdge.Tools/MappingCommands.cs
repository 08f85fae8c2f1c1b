using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using MedTechEdge.Pipeline.Identity;

namespace MedTechEdge.Tools;

/// <summary><c>mappings validate</c> and <c>mappings debug</c>: the managed service's mapping debugger, offline.</summary>
internal static class MappingCommands
{
    public static int Validate(ToolArguments args, IModuleHostFactory hosts, TextWriter stdout, TextWriter stderr)
    {
        string devicePath = args.Required("--device");
        string? fhirPath = args.Option("--fhir");
        IdentityResolutionType mode = ResolutionType(args, hosts).ResolutionType;
        bool deviceOk = DeviceMapping.TryLoad(ToolArguments.ReadFile(devicePath), out DeviceMapping? device, out IReadOnlyList<TemplateError> deviceErrors);
        FhirMapping? fhir = null;
        IReadOnlyList<TemplateError> fhirErrors = [];
        bool fhirOk = fhirPath is null || FhirMapping.TryLoad(ToolArguments.ReadFile(fhirPath), out fhir, out fhirErrors);
        var deviceAll = new List<TemplateError>(deviceErrors);
        if (deviceOk && fhir is not null)
        {
            deviceAll.AddRange(MappingCrossCheck.Check(device!, fhir));
            // Identities are only resolved on the way to FHIR, so without a FHIR mapping nothing needs them.
            deviceAll.AddRange(MappingIdentityCheck.Check(device!, mode == IdentityResolutionType.Create, mode == IdentityResolutionType.LookupWithEncounter, mode.ToString()));
        }

        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", deviceOk && fhirOk);
            writer.WriteString("resolutionType", mode.ToString());
            writer.WriteStartArray("errors");
            WriteErrors(writer, devicePath, "NORMALIZATION", deviceAll);
            WriteErrors(writer, fhirPath ?? string.Empty, "FHIRTRANSFORMATION", fhirErrors);
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        Report(stderr, devicePath, deviceAll);
        Report(stderr, fhirPath ?? string.Empty, fhirErrors);
        return deviceOk && fhirOk ? 0 : 1;
    }

    public static async Task<int> DebugAsync(ToolArguments args, IModuleHostFactory hosts, TextWriter stdout, TextWriter stderr)
    {
        string devicePath = args.Required("--device");
        string? fhirPath = args.Option("--fhir");
        bool deviceOk = DeviceMapping.TryLoad(ToolArguments.ReadFile(devicePath), out DeviceMapping? device, out IReadOnlyList<TemplateError> deviceErrors);
        FhirMapping? fhir = null;
        IReadOnlyList<TemplateError> fhirErrors = [];
        bool fhirOk = fhirPath is null || FhirMapping.TryLoad(ToolArguments.ReadFile(fhirPath), out fhir, out fhirErrors);
        Report(stderr, devicePath, deviceErrors);
        Report(stderr, fhirPath ?? string.Empty, fhirErrors);
        if (!deviceOk || !fhirOk)
        {
            return 1;
        }

        ModuleResolutionSettings settings = ResolutionType(args, hosts);
        var request = new MappingDebugRequest(device!, fhir, ReadMessages(ToolArguments.ReadFile(args.Required("--message"))))
        {
            Properties = JsonObjectOption(args, "--properties"),
            SystemProperties = JsonObjectOption(args, "--system-properties"),
            ResolutionType = settings.ResolutionType,
            DefaultDeviceIdentifierSystem = settings.DefaultDeviceIdentifierSystem,
            FhirUrl = FhirUrl(args.Option("--fhir-url")),
        };
        if (request.FhirUrl is not null && request.ResolutionType == IdentityResolutionType.Create)
        {
            // Resolving Create mode against the server would write Patients and Devices; say why the URL goes unused.
            await stderr.WriteLineAsync("note: --fhir-url is used by the Lookup modes only; Create mode derives its ids without the server.").ConfigureAwait(false);
        }

        MappingDebugResult result = await MappingDebugger.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
        ToolJson.Print(stdout, writer => MappingDebugJson.Write(writer, request, result));
        foreach (DebugFailure failure in result.Errors)
        {
            string where = failure.Measurement is int m ? $"message {failure.Message}, measurement {m}" : $"message {failure.Message}";
            await stderr.WriteLineAsync($"{where}: {failure.KindName}: {failure.Error}").ConfigureAwait(false);
        }

        return result.Errors.Count == 0 ? 0 : 1;
    }

    /// <summary><c>--resolution-type</c>, else the module's configured <c>Pipeline:ResolutionType</c>; the identifier system always from the configuration.</summary>
    private static ModuleResolutionSettings ResolutionType(ToolArguments args, IModuleHostFactory hosts)
    {
        ModuleResolutionSettings configured = ModuleResolutionSettings.Read(hosts, args.Settings);
        return args.Option("--resolution-type") is { } text ? configured with { ResolutionType = ModuleResolutionSettings.Parse(text) } : configured;
    }

    private static Uri? FhirUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ToolUsageException($"--fhir-url is an absolute http(s) URL of a FHIR base, not '{text}'.");
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
