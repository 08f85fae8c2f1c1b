using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Templates;
using Microsoft.Extensions.Configuration;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The configuration a module twin's desired properties carry, checked before it may replace the running one:
/// <c>configuration</c> holds settings under the names of the <c>MedTechEdge</c> section (docs/configuration.md), and
/// <c>mappings</c> the device and FHIR mappings, inline (<c>device</c>, <c>fhir</c>) or as files on a mounted volume
/// (<c>deviceFile</c>, <c>fhirFile</c>). Secrets never travel in a twin, which every reader of the hub can see; the
/// connection to edgeHub and the store's location cannot be changed through the twin that depends on them.
/// </summary>
internal sealed class DesiredConfiguration
{
    // Key names whose values are credentials: they belong in the module's environment (deployment manifest "env").
    private static readonly string[] s_secretKeys = ["ConnectionString", "ClientSecret", "BearerToken", "Password", "SharedAccessKey", "Key", "Token"];

    private DesiredConfiguration(long? version, SortedDictionary<string, string?> settings, string? deviceMapping, string? fhirMapping)
    {
        Version = version;
        Settings = settings;
        DeviceMapping = deviceMapping;
        FhirMapping = fhirMapping;
        Fingerprint = ComputeFingerprint(settings, deviceMapping, fhirMapping);
    }

    /// <summary>The desired <c>$version</c>.</summary>
    public long? Version { get; }

    /// <summary>Settings as configuration keys (<c>MedTechEdge:Fhir:Url</c>), in key order.</summary>
    public SortedDictionary<string, string?> Settings { get; }

    /// <summary>The device mapping's text, or null to keep the configured file.</summary>
    public string? DeviceMapping { get; }

    /// <summary>The FHIR mapping's text, or null to keep the configured file.</summary>
    public string? FhirMapping { get; }

    /// <summary>SHA-256 over settings and mappings: equal fingerprints mean there is nothing to apply.</summary>
    public string Fingerprint { get; }

    /// <summary>True when the twin asks for nothing: the module runs on its own configuration.</summary>
    public bool IsEmpty => Settings.Count == 0 && DeviceMapping is null && FhirMapping is null;

    /// <summary>Reads and checks desired properties. Errors name the place; nothing is applied here.</summary>
    public static bool TryRead(JsonElement desired, out DesiredConfiguration? configuration, out List<DesiredConfigurationError> errors)
    {
        errors = [];
        configuration = null;
        if (desired.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DesiredConfigurationError("desired", "Desired properties are not a JSON object."));
            return false;
        }

        long? version = desired.TryGetProperty("$version", out JsonElement v) && v.TryGetInt64(out long number) ? number : null;
        var settings = new SortedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (desired.TryGetProperty("configuration", out JsonElement section) && section.ValueKind != JsonValueKind.Null)
        {
            if (section.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new DesiredConfigurationError("configuration", "Must be an object of MedTechEdge settings."));
            }
            else
            {
                Flatten(section, MedTechEdgeOptions.Section, settings, errors);
                CheckBinding(settings, errors);
            }
        }

        string? device = null;
        string? fhir = null;
        if (desired.TryGetProperty("mappings", out JsonElement mappings) && mappings.ValueKind != JsonValueKind.Null)
        {
            if (mappings.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new DesiredConfigurationError("mappings", "Must be an object with device/fhir (inline) or deviceFile/fhirFile (paths)."));
            }
            else
            {
                device = ReadMapping(mappings, "device", errors);
                fhir = ReadMapping(mappings, "fhir", errors);
                CheckMappings(device, fhir, errors);
            }
        }

        if (errors.Count > 0)
        {
            return false;
        }

        configuration = new DesiredConfiguration(version, settings, device, fhir);
        return true;
    }

    private static void Flatten(JsonElement element, string prefix, SortedDictionary<string, string?> settings, List<DesiredConfigurationError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Name.StartsWith('$'))
                    {
                        continue;
                    }

                    string key = prefix + ConfigurationPath.KeyDelimiter + property.Name;
                    string? refusal = Refusal(key);
                    if (refusal is not null)
                    {
                        errors.Add(new DesiredConfigurationError(Place(key), refusal));
                        continue;
                    }

                    Flatten(property.Value, key, settings, errors);
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Flatten(item, prefix + ConfigurationPath.KeyDelimiter + index.ToString(CultureInfo.InvariantCulture), settings, errors);
                    index++;
                }

                break;
            case JsonValueKind.String:
                settings[prefix] = element.GetString();
                break;
            case JsonValueKind.Null:
                // A twin deletes a property by setting it to null: the module's own value stands.
                break;
            default:
                settings[prefix] = element.GetRawText();
                break;
        }
    }

    private static string? Refusal(string key)
    {
        string[] parts = key.Split(ConfigurationPath.KeyDelimiter);
        string last = parts[^1];
        foreach (string secret in s_secretKeys)
        {
            if (last.EndsWith(secret, StringComparison.OrdinalIgnoreCase))
            {
                return "is a secret: set it in the module's environment in the deployment manifest, never in the twin, which every reader of the hub can see.";
            }
        }

        if (parts.Length >= 2 && parts[1].Equals("EdgeHub", StringComparison.OrdinalIgnoreCase))
        {
            return "the connection to edgeHub cannot be changed through the twin that travels over it.";
        }

        if (parts.Length >= 3 && parts[1].Equals("Store", StringComparison.OrdinalIgnoreCase) && parts[2].Equals("Path", StringComparison.OrdinalIgnoreCase))
        {
            return "the store's location cannot be changed through the twin: the data already stored would be left behind.";
        }

        if (parts.Length >= 2 && parts[1].Equals("Mappings", StringComparison.OrdinalIgnoreCase))
        {
            return "mappings go under desired.mappings (device/fhir or deviceFile/fhirFile), not under configuration.";
        }

        return null;
    }

    private static void CheckBinding(SortedDictionary<string, string?> settings, List<DesiredConfigurationError> errors)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        try
        {
            // The binder names the key it could not convert or place, which is the error the operator needs.
            OptionsBinding.Bind(configuration, new MedTechEdgeOptions(), o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(new DesiredConfigurationError("configuration", ex.InnerException is null ? ex.Message : ex.Message + " " + ex.InnerException.Message));
        }
    }

    private static string? ReadMapping(JsonElement mappings, string name, List<DesiredConfigurationError> errors)
    {
        bool inline = mappings.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;
        bool file = mappings.TryGetProperty(name + "File", out JsonElement path) && path.ValueKind != JsonValueKind.Null;
        if (inline && file)
        {
            errors.Add(new DesiredConfigurationError("mappings." + name, $"Give either {name} or {name}File, not both."));
            return null;
        }

        if (inline)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new DesiredConfigurationError("mappings." + name, "Must be the mapping's JSON object."));
                return null;
            }

            return value.GetRawText();
        }

        if (!file)
        {
            return null;
        }

        if (path.ValueKind != JsonValueKind.String || !Path.IsPathRooted(path.GetString()))
        {
            errors.Add(new DesiredConfigurationError("mappings." + name + "File", "Must be an absolute path to a file on a volume mounted into the module."));
            return null;
        }

        try
        {
            return File.ReadAllText(path.GetString()!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new DesiredConfigurationError("mappings." + name + "File", $"'{path.GetString()}' cannot be read: {ex.Message}"));
            return null;
        }
    }

    private static void CheckMappings(string? device, string? fhir, List<DesiredConfigurationError> errors)
    {
        DeviceMapping? deviceMapping = null;
        FhirMapping? fhirMapping = null;
        if (device is not null && !MedTechEdge.Mapping.DeviceMapping.TryLoad(device, out deviceMapping, out IReadOnlyList<TemplateError> deviceErrors))
        {
            AddTemplateErrors("mappings.device", deviceErrors, errors);
        }

        if (fhir is not null && !MedTechEdge.Mapping.FhirMapping.TryLoad(fhir, out fhirMapping, out IReadOnlyList<TemplateError> fhirErrors))
        {
            AddTemplateErrors("mappings.fhir", fhirErrors, errors);
        }

        if (deviceMapping is not null && fhirMapping is not null)
        {
            AddTemplateErrors("mappings.device", MappingCrossCheck.Check(deviceMapping, fhirMapping), errors);
        }
    }

    private static void AddTemplateErrors(string place, IReadOnlyList<TemplateError> found, List<DesiredConfigurationError> errors)
    {
        foreach (TemplateError error in found)
        {
            if (!error.IsWarning)
            {
                errors.Add(new DesiredConfigurationError(place, error.Message, error.Line, error.Position));
            }
        }
    }

    private static string Place(string key) => "configuration." + key[(MedTechEdgeOptions.Section.Length + 1)..].Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal);

    private static string ComputeFingerprint(SortedDictionary<string, string?> settings, string? device, string? fhir)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string?> setting in settings)
        {
            text.Append(setting.Key).Append('=').Append(setting.Value).Append('\n');
        }

        text.Append("device:").Append(device).Append("\nfhir:").Append(fhir);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
